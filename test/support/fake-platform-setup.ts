// globalSetup for the workerd projects: one fake platform per project, its URL provided to
// the project's Miniflare options (see vitest.config.ts) as the platform API bases.
import type { TestProject } from "vitest/node";
import { startFakePlatform } from "./fake-platform.ts";

declare module "vitest" {
  export interface ProvidedContext {
    fakePlatformUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const fake = await startFakePlatform();
  project.provide("fakePlatformUrl", fake.url);
  return () => fake.close();
}

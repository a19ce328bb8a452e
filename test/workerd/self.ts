import { exports } from "cloudflare:workers";

/** The worker under test's default entrypoint (its `fetch`), as the platform would call it. */
export const self = (exports as unknown as { default: Fetcher }).default;

/** Fetches a path on the worker under test. */
export const call = (path: string, init?: RequestInit) => self.fetch(new Request(`http://worker.test${path}`, init));

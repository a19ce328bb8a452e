import type { OfficialManifest } from "../../../lib/modules/manifest.ts";

/** The manifest of a first-party module: a marketplace module on the `builtin` engine. */
export function officialManifest(m: {
  name: string;
  displayName: string;
  description: string;
  commands: { name: string; description: string; minLevel?: string; userCooldownSec?: number }[];
  events?: string[];
  settings?: Record<string, unknown>;
  version?: string;
}): OfficialManifest {
  return {
    name: m.name,
    displayName: m.displayName,
    description: m.description,
    categories: ["official"],
    labels: ["official", "first-party"],
    version: {
      version: m.version ?? "1.0.0",
      engine: "builtin",
      config: { handler: m.name },
      commands: m.commands,
      events: m.events ?? [],
      ...(m.settings && { settings: m.settings }),
      permissions: ["chat:write", ...(m.events?.length ? ["events:read"] : [])],
    },
  };
}

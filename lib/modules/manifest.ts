/**
 * A first-party module's catalogue entry: a marketplace ModuleManifest (the router validates it
 * with its zod schema when it writes the catalogue). Plain data, so Node scripts can read it.
 */
export type OfficialManifest = Record<string, unknown> & {
  name: string;
  version: Record<string, unknown> & { version: string };
};

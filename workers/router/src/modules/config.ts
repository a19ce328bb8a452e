import * as z from "zod";

/** Module calls time out after this unless the module says otherwise (issue #4: 5 s). */
export const DEFAULT_MODULE_TIMEOUT_MS = 5_000;
const Timeout = z.number().int().min(100).max(30_000).default(DEFAULT_MODULE_TIMEOUT_MS);

/** A signed POST to the module's URL. */
export const WebhookConfig = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key for X-WaddleBot-Signature. */
  secret: z.string().min(16).max(256),
  timeoutMs: Timeout,
});

/** AWS Lambda Invoke API, SigV4-signed. `endpoint` overrides https://lambda.<region>.amazonaws.com. */
export const LambdaConfig = z.object({
  functionName: z.string().min(1).max(256),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  accessKeyId: z.string().min(1).max(128),
  secretAccessKey: z.string().min(1).max(256),
  sessionToken: z.string().max(2048).optional(),
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  timeoutMs: Timeout,
});

/** Apache OpenWhisk REST API, blocking invoke. `auth` is the namespace's "uuid:key". */
export const OpenWhiskConfig = z.object({
  apiHost: z.url({ protocol: /^https?$/ }),
  namespace: z.string().min(1).max(256).default("_"),
  action: z.string().min(1).max(256),
  auth: z.string().min(3).max(512),
  timeoutMs: Timeout,
});

/** Built-in modules run a named handler in the worker (see commands/builtins.ts). */
export const BuiltinConfig = z.object({ handler: z.string().min(1).max(64) });

export const ModuleConfigSchema = z.discriminatedUnion("engine", [
  z.object({ engine: z.literal("webhook"), config: WebhookConfig }),
  z.object({ engine: z.literal("lambda"), config: LambdaConfig }),
  z.object({ engine: z.literal("openwhisk"), config: OpenWhiskConfig }),
  z.object({ engine: z.literal("builtin"), config: BuiltinConfig }),
]);
export type EngineConfig = z.infer<typeof ModuleConfigSchema>;

/** The community-controlled URLs in an engine config, with their paths in the request body. */
export function engineUrls(m: EngineConfig): [path: string[], url: string | undefined][] {
  switch (m.engine) {
    case "webhook":
      return [[["config", "url"], m.config.url]];
    case "lambda":
      return [[["config", "endpoint"], m.config.endpoint]];
    case "openwhisk":
      return [[["config", "apiHost"], m.config.apiHost]];
    case "builtin":
      return [];
  }
}

/** A module as the router runs it (config parsed and defaults filled). */
export type ModuleDef = EngineConfig & {
  id: string;
  name: string;
  commands: string[];
  triggers: string[];
  priority: number;
  parallel: boolean;
  /**
   * Set for a marketplace installation: `config` above is the version's public part and the
   * installation's sealed secrets complete it at call time (marketplace/run-installed.ts), so
   * the cached router config never holds a secret in clear.
   */
  installation?: InstalledRef;
};

/** What the router keeps of a marketplace installation in its cached config. */
export interface InstalledRef {
  id: string;
  displayName: string;
  sealedSecrets: string | null;
  settings: Record<string, unknown>;
  /** The community's alias → the module's own command name (the module sees its own name). */
  aliases: Record<string, string>;
  /** A paid module whose subscription is not active: its commands answer a notice, not the module. */
  blocked: boolean;
}

/** `!` for modules the platform hosts (built-in, webhook), `#` for the community's serverless ones. */
export const prefixForEngine = (engine: EngineConfig["engine"]) =>
  engine === "lambda" || engine === "openwhisk" ? "#" : "!";

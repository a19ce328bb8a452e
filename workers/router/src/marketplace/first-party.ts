/**
 * First-party modules (workers/modules) as marketplace modules: listed in the catalogue as
 * official (no author, engine `builtin`), installed per community through the installations
 * API like any other, and called over the MODULES service binding with the same payload and
 * answer contract as a webhook module.
 */
import { and, inArray, isNotNull, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { createDb, type Database } from "../../../../lib/db/client.ts";
import { modules } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { released } from "../../../../lib/rpc.ts";
import { ModuleError, type ModulePayload, type ModuleResponse, ModuleResponseSchema } from "../engines/types.ts";
import type { AppEnv, Env } from "../env.ts";
import { DEFAULT_MODULE_TIMEOUT_MS } from "../modules/config.ts";
import { upsertOfficialModules } from "./official-catalog.ts";

/** Calls a first-party module over RPC, with the module deadline and the answer validated. */
export async function callFirstParty(env: Env, handler: string, payload: ModulePayload): Promise<ModuleResponse> {
  if (!env.MODULES) throw new ModuleError("error", "the modules worker is not bound (MODULES)");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ModuleError("timeout", `module did not answer within ${DEFAULT_MODULE_TIMEOUT_MS} ms`)),
      DEFAULT_MODULE_TIMEOUT_MS,
    );
  });
  try {
    const answer = released(await Promise.race([env.MODULES.call(handler, payload), deadline]));
    const parsed = ModuleResponseSchema.safeParse(answer);
    if (!parsed.success) throw new ModuleError("error", "module answer is invalid");
    return parsed.data;
  } catch (err) {
    if (err instanceof ModuleError) throw err;
    log.error("first-party module failed", { handler, error: err });
    throw new ModuleError("error", "module failed");
  } finally {
    clearTimeout(timer);
  }
}

let officialNames: string[] | null = null;

/** Are the official modules in this database's catalogue (one indexed read)? */
async function catalogued(db: Database, names: string[]) {
  const rows = await db
    .select({ name: modules.name })
    .from(modules)
    .where(and(inArray(modules.name, names), isNull(modules.authorId), isNotNull(modules.latestVersion)));
  return rows.length === names.length;
}

/**
 * Middleware for the catalogue and installations routes: the official modules are seeded "at
 * startup" of the first such request an isolate serves (the manifests live with their code in
 * the modules worker, so a migration would copy them), and checked with one read afterwards.
 */
export const officialCatalog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const env = c.env;
  if (env.MODULES) {
    const db = createDb(env.DB);
    if (!officialNames || !(await catalogued(db, officialNames))) {
      try {
        officialNames = await upsertOfficialModules(db, released(await env.MODULES.catalog()));
      } catch (err) {
        log.error("official modules not catalogued", { error: err });
      }
    }
  }
  await next();
};

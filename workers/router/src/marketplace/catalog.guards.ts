import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { users } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Forbidden, NotFound } from "../../../../lib/http/errors.ts";
import { outboundPolicy, outboundUrlIssues } from "../../../../lib/outbound/url-guard.ts";
import { BUILTINS } from "../commands/builtins.ts";
import type { Env } from "../env.ts";
import { engineUrls } from "../modules/config.ts";
import { bySemverDesc, findListed, moduleStats, versionsOf } from "./catalog.repo.ts";
import { type CatalogDetail, entryToApi, versionToApi } from "./catalog.schema.ts";
import type { VersionManifest } from "./manifest.schema.ts";

/** Who may publish what, and the module page; shared by the catalogue and version routes. */

/**
 * Who may publish: a person whose account has an email address (portal accounts get one only
 * through an emailed invite, a reset link or the instance owner's setting, so it is proven) or a
 * service account. First-party (`builtin`) modules only from an instance admin or a core service.
 */
export function checkPublisher(p: Principal, v: VersionManifest) {
  if (!p.serviceRole && !p.email) throw new Forbidden("Publishing needs an account with a verified email address");
  if (v.engine === "builtin") {
    if (!(p.serviceRole === "core" || (p.globalRole === "admin" && !p.serviceRole)))
      throw new Forbidden("Only the instance (an admin or a core service) publishes builtin modules");
    if (!BUILTINS[v.config.handler])
      throw new BadRequest("Invalid input", [{ path: ["version", "config", "handler"], message: "no such built-in" }]);
  }
}

/** The engine URL must pass the outbound guard now (it is checked again on every call). */
export function checkUrls(env: Env, v: VersionManifest, at: string[]) {
  const refused = outboundUrlIssues(
    outboundPolicy(env),
    engineUrls({ ...v, config: v.config } as never).map(([p, u]) => [[...at, ...p], u]),
  );
  if (refused.length) throw new BadRequest("Invalid input", refused);
}

/** The module if the caller may publish to it (its author, or an instance admin). */
export async function ownModule(db: ReturnType<typeof createDb>, name: string, p: Principal) {
  const m = await findListed(db, name);
  if (!m) throw new NotFound(`No marketplace module named ${name}`);
  const admin = p.globalRole === "admin" && !p.serviceRole;
  if (m.authorId !== p.userId && !admin) throw new Forbidden("Only the module's author may do that");
  return m;
}

export async function moduleDetail(env: Env, name: string): Promise<z.infer<typeof CatalogDetail>> {
  const db = createDb(env.DB);
  const m = await findListed(db, name);
  if (!m) throw new NotFound(`No marketplace module named ${name}`);
  const [versions, stats, author] = await Promise.all([
    versionsOf(db, m.id),
    moduleStats(db, m.id),
    m.authorId
      ? db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, m.authorId)).get()
      : undefined,
  ]);
  const entry = entryToApi(m, stats ?? { installs: 0, rating: null, reviews: 0 }, author ?? null);
  return { ...entry, versions: bySemverDesc(versions).map(versionToApi) };
}

import { and, eq, isNull, lt, or } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { moduleSubscriptions } from "../../../../lib/db/schema/index.ts";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import type { Env } from "../env.ts";
import { type EngineConfig, ModuleConfigSchema, type ModuleDef } from "../modules/config.ts";
import { openSecrets } from "./secrets.ts";

/** Chat hears that a paid module is paused at most this often per installation. */
const UNPAID_NOTICE_INTERVAL_MS = 60 * 60 * 1000;
/** After another isolate sent the notice, this one asks D1 again no sooner than this. */
const RECHECK_MS = 60_000;
/** Per installation, until when this isolate knows the notice is not due (bounded). */
const quietUntil = new Map<string, number>();

/**
 * The engine config of a marketplace installation, complete: the version's public part plus
 * the installation's own secrets, opened only for the call (never cached in clear).
 */
export async function installationEngine(env: Env, mod: ModuleDef): Promise<EngineConfig> {
  if (!mod.installation) return mod;
  const secrets = await openSecrets(env, mod.installation.id, mod.installation.sealedSecrets);
  return ModuleConfigSchema.parse({ engine: mod.engine, config: { ...mod.config, ...secrets } });
}

/** A payment change starts the notice over (the D1 side is reset by the Stripe event). */
export const forgetUnpaidNotice = (installationId: string) => quietUntil.delete(installationId);

/**
 * The one-line notice for a paid module whose subscription is not active, or nothing when
 * chat was told within the last hour. The claim is one conditional UPDATE in D1, so every
 * isolate agrees on who sends it.
 */
export async function unpaidNotice(env: Env, mod: ModuleDef): Promise<BotReply[]> {
  const installationId = mod.installation?.blocked ? mod.installation.id : null;
  if (!installationId) return [];
  const now = Date.now();
  // A chat spamming a paused command would otherwise cost a D1 write per line.
  if ((quietUntil.get(installationId) ?? 0) > now) return [];
  const claimed = await createDb(env.DB)
    .update(moduleSubscriptions)
    .set({ noticeAt: new Date(now) })
    .where(
      and(
        eq(moduleSubscriptions.installationId, installationId),
        or(
          isNull(moduleSubscriptions.noticeAt),
          lt(moduleSubscriptions.noticeAt, new Date(now - UNPAID_NOTICE_INTERVAL_MS)),
        ),
      ),
    )
    .returning({ id: moduleSubscriptions.id });
  quietUntil.set(installationId, now + (claimed.length ? UNPAID_NOTICE_INTERVAL_MS : RECHECK_MS));
  if (quietUntil.size > 1000) quietUntil.delete(quietUntil.keys().next().value!);
  if (claimed.length === 0) return [];
  const name = mod.installation?.displayName ?? mod.name;
  return [
    { type: "chat", text: `${name} is paused: its subscription is not active. An admin can renew it in the portal.` },
  ];
}

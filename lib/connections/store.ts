import { and, eq, ne } from "drizzle-orm";
import type { PlatformConfig } from "../config.ts";
import { sealContext } from "../crypto/sealed-columns.ts";
import { open, seal } from "../crypto/secret-box.ts";
import { createDb } from "../db/client.ts";
import {
  type ConnectionStatus,
  communityPlatforms,
  instanceCredentials,
  type Platform,
  platformConnections,
} from "../db/schema/index.ts";
import type { Grant, RefreshedTokens } from "./oauth.ts";

/**
 * The one data-access layer for OAuth grants. Tokens go in sealed (secret-box, bound to their
 * table, column and row) and come out only through `tokensOf`: nothing else ever sees them.
 */
export interface StoreEnv extends PlatformConfig {
  DB: D1Database;
}

export type ConnectionRow = typeof platformConnections.$inferSelect;
export type BotRow = typeof instanceCredentials.$inferSelect;
type Table = "platform_connections" | "instance_credentials";

const ctx = (table: Table, column: "access_token" | "refresh_token", id: string) => sealContext({ table, column }, id);

async function sealTokens(env: StoreEnv, table: Table, id: string, t: RefreshedTokens) {
  return {
    accessToken: await seal(env, t.accessToken, ctx(table, "access_token", id)),
    refreshToken: t.refreshToken ? await seal(env, t.refreshToken, ctx(table, "refresh_token", id)) : null,
    tokenExpiresAt: t.expiresAt,
  };
}

/** The plaintext tokens of a row (a connection or the bot). */
export async function tokensOf(
  env: StoreEnv,
  table: Table,
  row: { id: string; accessToken: string | null; refreshToken: string | null },
): Promise<{ accessToken: string | null; refreshToken: string | null }> {
  return {
    accessToken: row.accessToken ? await open(env, row.accessToken, ctx(table, "access_token", row.id)) : null,
    refreshToken: row.refreshToken ? await open(env, row.refreshToken, ctx(table, "refresh_token", row.id)) : null,
  };
}

/** Thrown when the platform account is already another community's. */
export class AlreadyLinked extends Error {}

/**
 * Stores a grant for a community and makes its `community_platforms` row (the lookup every
 * event makes) point at the account, in one batch: either both are written or neither.
 */
export async function saveConnection(
  env: StoreEnv,
  input: { communityId: string; platform: Platform; grant: Grant; connectedBy: string },
): Promise<ConnectionRow> {
  const db = createDb(env.DB);
  const { communityId, platform, grant } = input;
  const taken = await db
    .select({ communityId: communityPlatforms.communityId })
    .from(communityPlatforms)
    .where(
      and(
        eq(communityPlatforms.platform, platform),
        eq(communityPlatforms.platformId, grant.accountId),
        ne(communityPlatforms.communityId, communityId),
      ),
    )
    .get();
  if (taken) throw new AlreadyLinked(`This ${platform} account is already connected to another community`);
  const existing = await getConnection(env, communityId, platform);
  const id = existing?.id ?? crypto.randomUUID();
  const sealed = await sealTokens(env, "platform_connections", id, grant);
  const values = {
    accountId: grant.accountId,
    accountName: grant.accountName,
    accountLogin: grant.accountLogin,
    status: "active" as const,
    statusDetail: null,
    scopes: grant.scopes,
    botUserId: grant.botUserId,
    ...sealed,
    connectedBy: input.connectedBy,
    updatedAt: new Date(),
  };
  const link = await db
    .select({ id: communityPlatforms.id })
    .from(communityPlatforms)
    .where(and(eq(communityPlatforms.communityId, communityId), eq(communityPlatforms.platform, platform)))
    .get();
  // Twitch: display_name stays the broadcaster's display name (the relay joins IRC by it, lowercased);
  // the exact login is on the connection (account_login).
  const linkValues = { platformId: grant.accountId, displayName: grant.accountName, status: "active" as const };
  await db.batch([
    db
      .insert(platformConnections)
      .values({ id, communityId, platform, ...values })
      .onConflictDoUpdate({ target: [platformConnections.communityId, platformConnections.platform], set: values }),
    link
      ? db.update(communityPlatforms).set(linkValues).where(eq(communityPlatforms.id, link.id))
      : db.insert(communityPlatforms).values({ communityId, platform, ...linkValues }),
  ]);
  return (await getConnection(env, communityId, platform))!;
}

export function getConnection(env: StoreEnv, communityId: string, platform: Platform) {
  return createDb(env.DB)
    .select()
    .from(platformConnections)
    .where(and(eq(platformConnections.communityId, communityId), eq(platformConnections.platform, platform)))
    .get();
}

/** The connection behind a platform account (a Slack team, a Twitch broadcaster), if any. */
export function connectionByAccount(env: StoreEnv, platform: Platform, accountId: string) {
  return createDb(env.DB)
    .select()
    .from(platformConnections)
    .where(and(eq(platformConnections.platform, platform), eq(platformConnections.accountId, accountId)))
    .get();
}

export function listConnections(env: StoreEnv, communityId: string) {
  return createDb(env.DB)
    .select()
    .from(platformConnections)
    .where(eq(platformConnections.communityId, communityId))
    .all();
}

/** New tokens after a refresh (sealed again: a fresh IV, same row context). */
export async function updateConnectionTokens(env: StoreEnv, id: string, tokens: RefreshedTokens) {
  const sealed = await sealTokens(env, "platform_connections", id, tokens);
  await createDb(env.DB)
    .update(platformConnections)
    .set({
      ...sealed,
      ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
      status: "active",
      statusDetail: null,
      updatedAt: new Date(),
    })
    .where(eq(platformConnections.id, id));
}

export async function markConnection(env: StoreEnv, id: string, status: ConnectionStatus, detail: string | null) {
  await createDb(env.DB)
    .update(platformConnections)
    .set({ status, statusDetail: detail, updatedAt: new Date() })
    .where(eq(platformConnections.id, id));
}

/** Records that an event from the account arrived (the portal shows "last event seen"). */
export async function touchConnection(env: StoreEnv, platform: Platform, accountId: string, at = new Date()) {
  await createDb(env.DB)
    .update(platformConnections)
    .set({ lastEventAt: at })
    .where(and(eq(platformConnections.platform, platform), eq(platformConnections.accountId, accountId)));
}

/** Removes the grant and the community's link on that platform together. */
export async function removeConnection(env: StoreEnv, communityId: string, platform: Platform) {
  const db = createDb(env.DB);
  await db.batch([
    db
      .delete(platformConnections)
      .where(and(eq(platformConnections.communityId, communityId), eq(platformConnections.platform, platform))),
    db
      .delete(communityPlatforms)
      .where(and(eq(communityPlatforms.communityId, communityId), eq(communityPlatforms.platform, platform))),
  ]);
}

export function getBot(env: StoreEnv) {
  return createDb(env.DB).select().from(instanceCredentials).where(eq(instanceCredentials.id, "twitch_bot")).get();
}

export async function saveBot(env: StoreEnv, grant: Grant, connectedBy: string | null) {
  const sealed = await sealTokens(env, "instance_credentials", "twitch_bot", grant);
  const values = {
    accountId: grant.accountId,
    accountLogin: grant.accountLogin ?? grant.accountId,
    scopes: grant.scopes,
    status: "active" as const,
    ...sealed,
    accessToken: sealed.accessToken,
    connectedBy,
    updatedAt: new Date(),
  };
  await createDb(env.DB)
    .insert(instanceCredentials)
    .values({ id: "twitch_bot", ...values })
    .onConflictDoUpdate({ target: instanceCredentials.id, set: values });
}

export async function updateBotTokens(env: StoreEnv, tokens: RefreshedTokens) {
  const sealed = await sealTokens(env, "instance_credentials", "twitch_bot", tokens);
  await createDb(env.DB)
    .update(instanceCredentials)
    .set({ ...sealed, status: "active", updatedAt: new Date() })
    .where(eq(instanceCredentials.id, "twitch_bot"));
}

export async function markBot(env: StoreEnv, status: ConnectionStatus) {
  await createDb(env.DB)
    .update(instanceCredentials)
    .set({ status, updatedAt: new Date() })
    .where(eq(instanceCredentials.id, "twitch_bot"));
}

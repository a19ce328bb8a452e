import { eq } from "drizzle-orm";
import { sealContext } from "../crypto/sealed-columns.ts";
import { open, seal } from "../crypto/secret-box.ts";
import { createDb } from "../db/client.ts";
import { spotifyAccounts } from "../db/schema/index.ts";
import type { SpotifyEnv } from "./config.ts";
import type { Tokens } from "./oauth.ts";

/**
 * The one data-access layer for Spotify grants: tokens go in sealed (bound to their column and
 * the community's row) and come out only through `tokensOf`.
 */
export type SpotifyAccount = typeof spotifyAccounts.$inferSelect;

const ctx = (column: "access_token" | "refresh_token", communityId: string) =>
  sealContext({ table: "spotify_accounts", column }, communityId);

async function sealed(env: SpotifyEnv, communityId: string, t: Tokens, keepRefresh: string | null) {
  const refresh = t.refreshToken ?? keepRefresh;
  return {
    accessToken: await seal(env, t.accessToken, ctx("access_token", communityId)),
    refreshToken: refresh ? await seal(env, refresh, ctx("refresh_token", communityId)) : null,
    tokenExpiresAt: t.expiresAt,
    ...(t.scopes.length ? { scopes: t.scopes } : {}),
  };
}

export function getAccount(env: SpotifyEnv, communityId: string) {
  return createDb(env.DB).select().from(spotifyAccounts).where(eq(spotifyAccounts.communityId, communityId)).get();
}

/** Stores (or replaces) the community's grant. */
export async function saveAccount(
  env: SpotifyEnv,
  input: { communityId: string; accountId: string; accountName: string | null; tokens: Tokens; connectedBy: string },
) {
  const values = {
    accountId: input.accountId,
    accountName: input.accountName,
    scopes: input.tokens.scopes,
    status: "active" as const,
    connectedBy: input.connectedBy,
    updatedAt: new Date(),
    ...(await sealed(env, input.communityId, input.tokens, null)),
  };
  await createDb(env.DB)
    .insert(spotifyAccounts)
    .values({ communityId: input.communityId, ...values })
    .onConflictDoUpdate({ target: spotifyAccounts.communityId, set: values });
}

/** New tokens after a refresh (sealed again; a refresh that returns no refresh token keeps the old one). */
export async function updateTokens(env: SpotifyEnv, communityId: string, t: Tokens, oldRefresh: string | null) {
  await createDb(env.DB)
    .update(spotifyAccounts)
    .set({ ...(await sealed(env, communityId, t, oldRefresh)), status: "active", updatedAt: new Date() })
    .where(eq(spotifyAccounts.communityId, communityId));
}

export async function markRevoked(env: SpotifyEnv, communityId: string) {
  await createDb(env.DB)
    .update(spotifyAccounts)
    .set({ status: "revoked", updatedAt: new Date() })
    .where(eq(spotifyAccounts.communityId, communityId));
}

export async function removeAccount(env: SpotifyEnv, communityId: string) {
  await createDb(env.DB).delete(spotifyAccounts).where(eq(spotifyAccounts.communityId, communityId));
}

export async function tokensOf(env: SpotifyEnv, row: SpotifyAccount) {
  return {
    accessToken: await open(env, row.accessToken, ctx("access_token", row.communityId)),
    refreshToken: row.refreshToken ? await open(env, row.refreshToken, ctx("refresh_token", row.communityId)) : null,
  };
}

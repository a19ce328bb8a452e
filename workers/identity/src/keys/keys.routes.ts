import { z } from "@hono/zod-openapi";
import { EXPLICIT_SCOPES } from "../../../../lib/auth/permissions.ts";
import { Conflict, Forbidden, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { actorOf, auditRequest } from "../audit/record.ts";
import { accountRoute } from "../auth/middleware.ts";
import type { AuthedEnv } from "../env.ts";
import {
  countLiveKeys,
  createKey,
  DEFAULT_KEY_DAYS,
  findKey,
  listKeys,
  MAX_KEYS_PER_USER,
  publicKey,
  regenerateKey,
  revokeKey,
} from "./keys.repo.ts";
import { ScopeList, scopesWithin } from "./scopes.ts";

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The first characters, to tell keys apart" }),
    scopes: z.array(z.string()).nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");
const NewApiKey = ApiKey.extend({
  key: z.string().openapi({ description: "The key itself: shown this once, never again" }),
}).openapi("NewApiKey");

const CreateKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: ScopeList.default(null),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .nullable()
      .default(DEFAULT_KEY_DAYS)
      .openapi({ description: "Days until the key stops working (default 365); null = never" }),
  })
  .openapi("CreateApiKey");
const KeyParams = z.object({ keyId: z.uuid() });

export const keysRoutes = createApiApp<AuthedEnv>();

const tags = ["api keys"];

keysRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/",
    tags,
    summary: "My API keys (prefix, scopes and last use only; never the key)",
    permission: "keys:read",
    responses: {
      200: { description: "Keys", content: { "application/json": { schema: envelopeOf(z.array(ApiKey)) } } },
      ...errorResponses(401),
    },
  }),
  async (c) => ok(c, (await listKeys(c.env.DB, c.get("principal").userId)).map(publicKey)),
);

keysRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/",
    tags,
    summary: `Make an API key (at most ${MAX_KEYS_PER_USER} live keys each); the key is shown once`,
    permission: "keys:write",
    request: { body: { content: { "application/json": { schema: CreateKeyBody } }, required: true } },
    responses: {
      201: { description: "The new key", content: { "application/json": { schema: envelopeOf(NewApiKey) } } },
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const input = c.req.valid("json");
    if (!scopesWithin(principal.scopes, input.scopes)) {
      throw new Forbidden("A scoped key can only make keys within its own scopes");
    }
    if (input.scopes?.some((s) => EXPLICIT_SCOPES.has(s)) && principal.globalRole !== "admin") {
      throw new Forbidden("Only global admins make keys with service scopes (events:ingest, service-accounts:*)");
    }
    if ((await countLiveKeys(c.env.DB, principal.userId)) >= MAX_KEYS_PER_USER) {
      throw new Conflict(`You already have ${MAX_KEYS_PER_USER} live keys; revoke one first`);
    }
    const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000);
    const { key, row } = await createKey(c.env.DB, principal.userId, { ...input, expiresAt });
    await auditRequest(c, {
      ...actorOf(principal),
      action: "api_key.create",
      targetType: "api_key",
      targetId: row.id,
      outcome: "success",
      details: { name: row.name, scopes: row.scopes ?? null },
    });
    return ok(c, { ...publicKey(row), key }, "Key created: copy it now, it is not shown again", 201);
  },
);

keysRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/{keyId}/regenerate",
    tags,
    summary: "Replace a key: the old one stops working at once; the new one is shown once",
    permission: "keys:write",
    request: { params: KeyParams },
    responses: {
      201: { description: "The new key", content: { "application/json": { schema: envelopeOf(NewApiKey) } } },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const old = await findKey(c.env.DB, principal.userId, c.req.valid("param").keyId);
    if (!old) throw new NotFound("No such key");
    if (old.revokedAt) throw new Conflict("That key is revoked; make a new one instead");
    if (!scopesWithin(principal.scopes, old.scopes ?? null)) {
      throw new Forbidden("A scoped key can only regenerate keys within its own scopes");
    }
    const { key, row } = await regenerateKey(c.env.DB, old);
    await auditRequest(c, {
      ...actorOf(principal),
      action: "api_key.regenerate",
      targetType: "api_key",
      targetId: row.id,
      outcome: "success",
      details: { replaces: old.id },
    });
    return ok(c, { ...publicKey(row), key }, "Key regenerated: the old key no longer works", 201);
  },
);

keysRoutes.openapi(
  accountRoute({
    method: "delete",
    path: "/{keyId}",
    tags,
    summary: "Revoke a key",
    permission: "keys:write",
    request: { params: KeyParams },
    responses: {
      200: { description: "Revoked", content: { "application/json": { schema: envelopeOf(ApiKey) } } },
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { keyId } = c.req.valid("param");
    if (!(await findKey(c.env.DB, principal.userId, keyId))) throw new NotFound("No such key");
    await revokeKey(c.env.DB, principal.userId, keyId);
    await auditRequest(c, {
      ...actorOf(principal),
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: keyId,
      outcome: "success",
    });
    return ok(c, publicKey((await findKey(c.env.DB, principal.userId, keyId))!), "Key revoked");
  },
);

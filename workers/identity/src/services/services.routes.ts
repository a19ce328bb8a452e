import { z } from "@hono/zod-openapi";
import { SERVICE_ROLES } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { actorOf, auditRequest } from "../audit/record.ts";
import { accountRoute } from "../auth/middleware.ts";
import type { AuthedEnv } from "../env.ts";
import { createKey, DEFAULT_KEY_DAYS, publicKey } from "../keys/keys.repo.ts";
import {
  createServiceAccount,
  disableServiceAccount,
  findServiceAccount,
  listServiceAccounts,
} from "./services.repo.ts";

/**
 * Service accounts: machine callers with the hub's service roles (trigger, action, core).
 * They act through API keys made here; only global admins manage them, by session, by an
 * unscoped key or by a key naming the service-accounts scopes (a `*` key is not enough).
 */
export const servicesRoutes = createApiApp<AuthedEnv>();

const tags = ["service accounts"];
const Role = z.enum(SERVICE_ROLES);
const ServiceAccount = z
  .object({
    userId: z.string(),
    name: z.string(),
    role: Role,
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .openapi("ServiceAccount");
const WithKey = z
  .object({ account: ServiceAccount, key: z.string().openapi({ description: "Shown once" }), keyId: z.string() })
  .openapi("ServiceAccountKey");
const CreateBody = z.object({ name: z.string().trim().min(1).max(100), role: Role }).openapi("CreateServiceAccount");
const Params = z.object({ userId: z.uuid() });

type Row = Awaited<ReturnType<typeof listServiceAccounts>>[number];
const toJson = (s: Row) => ({
  ...s,
  createdAt: s.createdAt.toISOString(),
  disabledAt: s.disabledAt?.toISOString() ?? null,
});
const newKey = (d1: D1Database, userId: string) =>
  createKey(d1, userId, {
    name: "service key",
    scopes: null,
    expiresAt: new Date(Date.now() + DEFAULT_KEY_DAYS * 86_400_000),
  });

servicesRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/",
    tags,
    summary: "Service accounts",
    permission: "service-accounts:read",
    responses: {
      200: { description: "List", content: { "application/json": { schema: envelopeOf(z.array(ServiceAccount)) } } },
      ...errorResponses(401, 403),
    },
  }),
  async (c) => ok(c, (await listServiceAccounts(c.env.DB)).map(toJson)),
);

servicesRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/",
    tags,
    summary: "Make a service account and its first API key (shown once)",
    permission: "service-accounts:write",
    request: { body: { content: { "application/json": { schema: CreateBody } }, required: true } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: envelopeOf(WithKey) } } },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { name, role } = c.req.valid("json");
    const expiresAt = new Date(Date.now() + DEFAULT_KEY_DAYS * 86_400_000);
    const { userId, key, keyRow: row } = await createServiceAccount(c.env.DB, name, role, { expiresAt });
    await auditRequest(c, {
      ...actorOf(c.get("principal")),
      action: "service_account.create",
      targetType: "user",
      targetId: userId,
      outcome: "success",
      details: { role, keyId: publicKey(row).id },
    });
    const account = (await findServiceAccount(c.env.DB, userId))!;
    return ok(c, { account: toJson(account), key, keyId: row.id }, "Service account created", 201);
  },
);

servicesRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/{userId}/keys",
    tags,
    summary: "Another API key for a service account (shown once)",
    permission: "service-accounts:write",
    request: { params: Params },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: envelopeOf(WithKey) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const account = await findServiceAccount(c.env.DB, c.req.valid("param").userId);
    if (!account || account.disabledAt) throw new NotFound("No such service account");
    const { key, row } = await newKey(c.env.DB, account.userId);
    await auditRequest(c, {
      ...actorOf(c.get("principal")),
      action: "api_key.create",
      targetType: "api_key",
      targetId: row.id,
      outcome: "success",
      details: { serviceAccount: account.userId },
    });
    return ok(c, { account: toJson(account), key, keyId: row.id }, "Key created", 201);
  },
);

servicesRoutes.openapi(
  accountRoute({
    method: "delete",
    path: "/{userId}",
    tags,
    summary: "Disable a service account: all its keys stop working",
    permission: "service-accounts:write",
    request: { params: Params },
    responses: {
      200: { description: "Disabled", content: { "application/json": { schema: envelopeOf(ServiceAccount) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { userId } = c.req.valid("param");
    if (!(await findServiceAccount(c.env.DB, userId))) throw new NotFound("No such service account");
    await disableServiceAccount(c.env.DB, userId);
    await auditRequest(c, {
      ...actorOf(c.get("principal")),
      action: "service_account.disable",
      targetType: "user",
      targetId: userId,
      outcome: "success",
    });
    return ok(c, toJson((await findServiceAccount(c.env.DB, userId))!), "Disabled");
  },
);

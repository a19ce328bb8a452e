import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";
import { identityRpc } from "./helpers.ts";

const EXPECTED_PATHS = [
  "/api/v1/auth/login",
  "/api/v1/auth/logout",
  "/api/v1/auth/me",
  "/api/v1/auth/password-reset/request",
  "/api/v1/auth/password-reset/confirm",
  "/api/v1/auth/oauth/{platform}/start",
  "/api/v1/auth/oauth/{platform}/callback",
  "/api/v1/auth/invites/accept",
  "/api/v1/auth/dev/mailbox",
  "/api/v1/keys",
  "/api/v1/keys/{keyId}",
  "/api/v1/keys/{keyId}/regenerate",
  "/api/v1/audit",
  "/api/v1/me/identities",
  "/api/v1/me/identities/verify",
  "/api/v1/me/identities/{platform}/{platformUserId}",
  "/api/v1/me/identities/requests",
  "/api/v1/me/identities/requests/{requestId}/approve",
  "/api/v1/me/identities/requests/{requestId}/reject",
  "/api/v1/communities/{communityId}/members",
  "/api/v1/communities/{communityId}/members/{userId}/role",
  "/api/v1/service-accounts",
  "/api/v1/service-accounts/{userId}",
  "/api/v1/service-accounts/{userId}/keys",
];

describe("the identity OpenAPI document", () => {
  it("is served at /api/v1/openapi.json and lists every identity endpoint", async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe("3.1.0");
    for (const path of EXPECTED_PATHS) expect(Object.keys(doc.paths), path).toContain(path);
  });

  it("is available over RPC for the router to merge, identical to the served one", async () => {
    const doc = (await identityRpc.openapiDocument()) as { paths: Record<string, unknown> };
    const served = await (await call("/api/v1/openapi.json")).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(served.paths).sort());
  });
});

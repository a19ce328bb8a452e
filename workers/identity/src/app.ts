import { apiBodyLimit } from "../../../lib/http/body-limit.ts";
import { apiCors } from "../../../lib/http/cors.ts";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import { createApiApp, registerSecurity } from "../../../lib/http/openapi.ts";
import { auditRoutes } from "./audit/audit.routes.ts";
import { loginRoutes } from "./auth/login.routes.ts";
import { loginLinkRoutes } from "./auth/login-link.routes.ts";
import { localAuth } from "./auth/middleware.ts";
import { passwordResetRoutes } from "./auth/password-reset.routes.ts";
import { devMailboxRoutes } from "./dev/mailbox.routes.ts";
import type { AppEnv, Env } from "./env.ts";
import { keysRoutes } from "./keys/keys.routes.ts";
import { identitiesRoutes } from "./linking/identities.routes.ts";
import { linkRequestsRoutes } from "./linking/link-requests.routes.ts";
import { invitesRoutes } from "./members/invites.routes.ts";
import { membersRoutes } from "./members/members.routes.ts";
import { oauthRoutes } from "./oauth/oauth.routes.ts";
import { servicesRoutes } from "./services/services.routes.ts";
import { setupRoutes } from "./setup/setup.routes.ts";

/**
 * The identity worker's HTTP surface. Every path is under /api/v1 and none collides with the
 * router's, so the router can forward these paths here unchanged.
 */
export const app = createApiApp<AppEnv>();
// CORS first: a preflight carries neither credentials nor a body.
app.use("/api/*", apiCors());
// Before every route: logins, keys, links and members take small JSON bodies (64 KiB cap).
app.use("/api/*", apiBodyLimit());

app.route(
  "/",
  healthRoutes<Env>(
    "identity",
    {
      d1: (env) => checks.d1(env.DB),
      durableObject: (env) => checks.durableObject(env.RATE_LIMITER),
    },
    localAuth,
  ),
);

app.route("/api/v1/auth", loginRoutes);
app.route("/api/v1/auth/password-reset", passwordResetRoutes);
// The one-time sign-in link `npm start` prints (lib/auth/login-links.ts).
app.route("/api/v1/auth/login-link", loginLinkRoutes);
app.route("/api/v1/auth/oauth", oauthRoutes);
app.route("/api/v1/auth/invites", invitesRoutes);
// First run: the one-time setup URL (under /auth so the router already forwards it here).
app.route("/api/v1/auth/setup", setupRoutes);
// Local only (404 when deployed); under /auth so the router already forwards it here.
app.route("/api/v1/auth/dev/mailbox", devMailboxRoutes);
app.route("/api/v1/keys", keysRoutes);
app.route("/api/v1/audit", auditRoutes);
// Before /me/identities, whose /{platform}/{platformUserId} would otherwise match first.
app.route("/api/v1/me/identities/requests", linkRequestsRoutes);
app.route("/api/v1/me/identities", identitiesRoutes);
app.route("/api/v1/service-accounts", servicesRoutes);
app.route("/api/v1/communities", membersRoutes);

registerSecurity(app);

const DOCUMENT_CONFIG = {
  openapi: "3.1.0",
  info: { title: "WaddleBot identity API", version: "1.0.0" },
};
app.doc31("/api/v1/openapi.json", DOCUMENT_CONFIG);

/** The OpenAPI document as an object (the router merges it into its own). */
export function openapiDocument(): Record<string, unknown> {
  return app.getOpenAPI31Document(DOCUMENT_CONFIG) as unknown as Record<string, unknown>;
}

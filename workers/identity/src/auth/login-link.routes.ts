import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { LOGIN_LINK_TTL_MS } from "../../../../lib/auth/login-links.ts";
import { createApiApp } from "../../../../lib/http/openapi.ts";
import { auditRequest } from "../audit/record.ts";
import { type AppEnv, publicUrl } from "../env.ts";
import { createSession } from "../sessions/sessions.repo.ts";
import { sessionCookies } from "./login.routes.ts";
import { spendLoginLink } from "./login-link.repo.ts";

export const loginLinkRoutes = createApiApp<AppEnv>();

const Query = z.object({ token: z.string().max(200).optional() });
const page = { content: { "text/html": { schema: z.string() } } };

/** What the browser shows for a link that does not sign in: plain words and the way on. */
const FAILURES = {
  malformed: [400, "This is not a sign-in link", "Copy the whole link printed by npm start."],
  unknown: [400, "This sign-in link is not valid", "Copy the whole link printed by npm start."],
  spent: [
    410,
    "This sign-in link was already used or has expired",
    `A link works once, for ${LOGIN_LINK_TTL_MS / 60_000} minutes. Restart npm start for a new one, or sign in with your password.`,
  ],
  disabled: [403, "This account is disabled", "Ask an administrator of this WaddleBot instance."],
  "cross-site": [403, "Sign-in links open only from the address bar", "Paste the link into your browser."],
} as const;

function failurePage(c: Context<AppEnv>, reason: keyof typeof FAILURES) {
  const [status, title, hint] = FAILURES[reason];
  // Static text only (nothing from the request), so nothing here needs escaping.
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · WaddleBot</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${title}</h1><p>${hint}</p><p><a href="/">Sign in with your password</a></p></main></body></html>`;
  return c.html(html, status);
}

loginLinkRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["auth"],
    summary: "Open a one-time sign-in link (printed by npm start): sets the session cookie, then to the portal",
    request: { query: Query },
    responses: {
      303: { description: "Signed in; to the portal" },
      400: { description: "Not a sign-in link, or an unknown one", ...page },
      403: { description: "Opened from another site, or the account is disabled", ...page },
      410: { description: "Already used or expired", ...page },
    },
  }),
  async (c) => {
    const { token = "" } = c.req.valid("query");
    // The token is a bearer credential: never sent on as a Referer, never cached.
    c.header("referrer-policy", "no-referrer");
    c.header("cache-control", "no-store");
    // Login CSRF: a foreign page must not navigate a browser into an account (a pasted or
    // clicked-in-terminal link is `none`; a link on another site is `cross-site`).
    const outcome =
      c.req.header("sec-fetch-site") === "cross-site"
        ? ({ ok: false, reason: "cross-site" } as const)
        : await spendLoginLink(c.env.DB, token);
    if (!outcome.ok) {
      await auditRequest(c, {
        actorType: "user",
        action: "auth.login",
        targetType: "login_link",
        outcome: "failure",
        details: { method: "login-link", reason: outcome.reason },
      });
      return failurePage(c, outcome.reason);
    }
    const session = await createSession(c.env, outcome.userId, credentialsOf(c).ip);
    await auditRequest(c, {
      actorType: "user",
      actorId: outcome.userId,
      action: "auth.login",
      targetType: "session",
      targetId: session.id,
      outcome: "success",
      details: { method: "login-link" },
    });
    for (const cookie of await sessionCookies(session.token)) c.header("set-cookie", cookie, { append: true });
    return c.redirect(`${publicUrl(c.env)}/`, 303);
  },
);

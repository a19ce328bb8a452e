/**
 * The OAuth connect flow as a browser walks it, for end-to-end tests: ask the admin API for the
 * authorize URL, "sign in" at the fake platform's authorize page (its fake_* parameters stand for
 * what the person does there), follow the redirect to WaddleBot's callback with the session
 * cookie, and land back on the portal.
 */
import { expect, inject } from "vitest";
import { login } from "./accounts.ts";

const urls = inject("urls");
const vars = inject("vars");

export type Session = Record<string, string>;

/** The seeded admin's portal session (cookie, CSRF header, same-origin Origin). */
export async function adminSession(): Promise<Session> {
  const signedIn = await login(vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
  expect(signedIn.status).toBe(200);
  return { ...signedIn.headers, origin: urls.router };
}

/** `POST <startPath>` → the authorize URL WaddleBot hands the browser. */
export async function startConnect(session: Session, startPath: string): Promise<URL> {
  const res = await fetch(`${urls.router}${startPath}`, { method: "POST", headers: session });
  const body = (await res.json()) as { data: { authorizeUrl: string }; message: string };
  expect(res.status, body.message).toBe(200);
  return new URL(body.data.authorizeUrl);
}

/** The fake authorize page's redirect back to WaddleBot (the callback URL with code and state). */
export async function authorizeAtFake(authorize: URL, person: Record<string, string>): Promise<URL> {
  const url = new URL(authorize);
  for (const [k, v] of Object.entries(person)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** Calls the callback as the browser would (with the session cookie); the response, unfollowed. */
export function callback(session: Session, url: URL | string): Promise<Response> {
  return fetch(url, { headers: { cookie: session.cookie! }, redirect: "manual" });
}

/** The whole flow; the portal URL the callback redirected to. */
export async function connect(session: Session, startPath: string, person: Record<string, string>): Promise<URL> {
  const back = await callback(session, await authorizeAtFake(await startConnect(session, startPath), person));
  expect(back.status).toBe(302);
  const portal = new URL(back.headers.get("location")!);
  // Hash routes: #/platforms?connected=slack
  return new URL(portal.hash.slice(1), portal.origin);
}

/** The community's connections, by the admin API with the session. */
export async function connections(session: Session, communityId: string) {
  const res = await fetch(`${urls.router}/api/v1/communities/${communityId}/connections`, { headers: session });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: ConnectionView[] }).data;
}

export interface ConnectionView {
  platform: string;
  source: string;
  accountId: string | null;
  accountName: string | null;
  accountLogin: string | null;
  status: string;
  scopes: string[];
  missing: { scope: string; effect: string }[];
  problems: string[];
  lastEventAt: string | null;
  subscriptions: { type: string; status: string }[];
}

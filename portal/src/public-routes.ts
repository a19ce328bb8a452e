import type { MouseEvent } from "react";
import { api } from "./api/client.ts";

/**
 * The pages an emailed or printed link opens: real paths (the SPA fallback serves index.html for
 * them), not hash routes, because the identity worker builds the links as
 * `${PUBLIC_URL}/accept-invite` and `${PUBLIC_URL}/reset-password`, and `npm run deploy` prints
 * the first run's `${PUBLIC_URL}/setup#token=…`.
 */
type PublicRoute = "accept-invite" | "reset-password" | "setup" | null;
export const publicRoute = (): PublicRoute => {
  const path = window.location.pathname.replace(/\/+$/, "");
  return path === "/accept-invite" || path === "/reset-password" || path === "/setup"
    ? (path.slice(1) as PublicRoute)
    : null;
};

const RETURN_KEY = "waddlebot.returnTo";

/**
 * A link's click handler: remember this page (path and query: the invite token), sign out
 * whoever is signed in, and open the sign-in page, which brings the person back here. Kept
 * in sessionStorage, not in a URL parameter, so nobody can craft a link that redirects away.
 */
export async function returnHereAfterSignIn(e: MouseEvent) {
  e.preventDefault();
  sessionStorage.setItem(RETURN_KEY, window.location.pathname + window.location.search);
  await api.post("/api/v1/auth/logout").catch(() => undefined);
  window.location.assign("/");
}

/** After a sign-in: the page that sent the person to sign in, once; null when none did. */
export function takeReturnPath(): string | null {
  const back = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return back && publicRouteOf(back) ? back : null;
}

const publicRouteOf = (path: string) => /^\/(accept-invite|reset-password)(\?|$)/.test(path);

/** "Login with <platform>" against the fake platform: the code `<id>.<username>` names the user. */
import { call } from "../../../test/workerd/self.ts";
import { cookiesOf } from "./helpers.ts";

export async function platformLogin(platform: "discord" | "twitch" | "slack", id: string, username: string) {
  const start = await call(`/api/v1/auth/oauth/${platform}/start`, { redirect: "manual" });
  const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
  const stateCookie = start.headers
    .getSetCookie()
    .find((c) => c.startsWith("wb_oauth_state="))!
    .split(";")[0]!;
  const res = await call(
    `/api/v1/auth/oauth/${platform}/callback?${new URLSearchParams({ code: `${id}.${username}`, state })}`,
    { headers: { cookie: stateCookie }, redirect: "manual" },
  );
  if (res.status !== 302) throw new Error(`platform login failed: ${res.status} ${await res.text()}`);
  const cookies = cookiesOf(res);
  return {
    cookie: `wb_session=${cookies.wb_session}; wb_csrf=${cookies.wb_csrf}`,
    write: { cookie: `wb_session=${cookies.wb_session}; wb_csrf=${cookies.wb_csrf}`, "x-csrf-token": cookies.wb_csrf! },
  };
}

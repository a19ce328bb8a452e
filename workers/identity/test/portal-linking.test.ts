import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";
import { identityRpc as rpc, signedIn } from "./helpers.ts";
import { chatUser, discordCodeFor, wrongCode } from "./link-helpers.ts";

describe("linking from the portal (/api/v1/me/identities)", () => {
  it("sends a code to the chat account, then links it when the code is entered", async () => {
    const user = await signedIn();
    const onDiscord = chatUser("discord");
    await rpc.listLinks(onDiscord);
    const start = await call("/api/v1/me/identities", {
      method: "POST",
      headers: user.write,
      body: JSON.stringify({ platform: "discord", username: onDiscord.username }),
    });
    expect(start.status).toBe(202);
    const code = await discordCodeFor(onDiscord.platformUserId);

    const wrong = await call("/api/v1/me/identities/verify", {
      method: "POST",
      headers: user.write,
      body: JSON.stringify({ code: wrongCode(code) }),
    });
    expect(wrong.status).toBe(400);
    const right = await call("/api/v1/me/identities/verify", {
      method: "POST",
      headers: user.write,
      body: JSON.stringify({ code }),
    });
    expect(right.status).toBe(200);
    const list = (await right.json<{ data: { platform: string; platformUserId: string }[] }>()).data;
    expect(list).toEqual([expect.objectContaining({ platform: "discord", platformUserId: onDiscord.platformUserId })]);

    const del = await call(`/api/v1/me/identities/discord/${onDiscord.platformUserId}`, {
      method: "DELETE",
      headers: user.write,
    });
    expect(del.status).toBe(200);
    expect((await del.json<{ data: unknown[] }>()).data).toEqual([]);
  });

  it("answers 404 for a chat user it cannot find, and 404 for unlinking someone else's identity", async () => {
    const user = await signedIn();
    const start = await call("/api/v1/me/identities", {
      method: "POST",
      headers: user.write,
      body: JSON.stringify({ platform: "slack", username: "nobody-known" }),
    });
    expect(start.status).toBe(404);
    const other = chatUser("discord");
    await rpc.listLinks(other);
    const del = await call(`/api/v1/me/identities/discord/${other.platformUserId}`, {
      method: "DELETE",
      headers: user.write,
    });
    expect(del.status).toBe(404);
  });
});

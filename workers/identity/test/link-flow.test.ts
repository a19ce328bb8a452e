import { describe, expect, it } from "vitest";
import { fakeTwitchId } from "../../../test/shared/fake-control.ts";
import { identityRpc as rpc } from "./helpers.ts";
import { chatUser, discordCodeFor, twitchCodeFor } from "./link-helpers.ts";

describe("linking a Twitch account to a Discord account, end to end", () => {
  it("!identity link discord <name> on Twitch → code by Discord DM → !verify on Twitch links them", async () => {
    const onDiscord = chatUser("discord", `bob${Date.now()}`);
    const onTwitch = chatUser("twitch");
    // The bot has seen bob on Discord before, so his username resolves to his id.
    expect((await rpc.listLinks(onDiscord)).ok).toBe(true);

    const started = await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    expect(started).toMatchObject({ ok: true, message: expect.stringContaining("!verify") });

    const code = await discordCodeFor(onDiscord.platformUserId);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);

    const verified = await rpc.verifyLink(onTwitch, code);
    expect(verified).toMatchObject({ ok: true, message: expect.stringContaining("Linked") });

    const fromTwitch = await rpc.listLinks(onTwitch);
    expect(fromTwitch.message).toContain(`Discord ${onDiscord.username}`);
    expect(fromTwitch.message).toContain(`Twitch ${onTwitch.username}`);
  });

  it("links Discord → Twitch with the code whispered through Helix", async () => {
    const onDiscord = chatUser("discord");
    const login = `carol${Date.now()}`;
    const twitchId = fakeTwitchId(login);
    const started = await rpc.startLink(onDiscord, { platform: "twitch", username: login });
    expect(started.ok).toBe(true);
    const code = await twitchCodeFor(twitchId);
    expect(twitchId).toBeTruthy();
    const verified = await rpc.verifyLink(onDiscord, code);
    expect(verified.ok).toBe(true);
    expect((await rpc.listLinks(onDiscord)).message).toContain(`Twitch ${login}`);
  });

  it("accepts a code typed in lower case with spaces", async () => {
    const onSlack = chatUser("slack");
    const onDiscord = chatUser("discord");
    await rpc.listLinks(onDiscord);
    await rpc.startLink(onSlack, { platform: "discord", username: onDiscord.username });
    const code = await discordCodeFor(onDiscord.platformUserId);
    const typed = ` ${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()} `;
    expect((await rpc.verifyLink(onSlack, typed)).ok).toBe(true);
  });

  it("unlinks a platform and shows it gone", async () => {
    const onDiscord = chatUser("discord");
    const onTwitch = chatUser("twitch");
    await rpc.listLinks(onDiscord);
    await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    await rpc.verifyLink(onTwitch, await discordCodeFor(onDiscord.platformUserId));

    expect((await rpc.unlink(onTwitch, "twitch")).ok).toBe(false);
    const res = await rpc.unlink(onTwitch, "discord");
    expect(res).toMatchObject({ ok: true, message: expect.stringContaining(onDiscord.username) });
    expect((await rpc.listLinks(onTwitch)).message).not.toContain("Discord");
    expect((await rpc.listLinks(onDiscord)).message).toContain("Only this Discord account");
  });

  it("explains what it cannot do instead of failing", async () => {
    const onTwitch = chatUser("twitch");
    expect(await rpc.startLink(onTwitch, { platform: "twitch", username: "x" })).toMatchObject({ ok: false });
    const unknown = await rpc.startLink(onTwitch, { platform: "discord", username: "never-seen-anywhere" });
    expect(unknown).toMatchObject({ ok: false, message: expect.stringContaining("have not seen") });
    expect(await rpc.startLink(onTwitch, { platform: "mastodon" as never, username: "x" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Usage"),
    });
    expect(await rpc.verifyLink(chatUser("discord"), "ABCDEF")).toMatchObject({
      ok: false,
      message: expect.stringContaining("no pending"),
    });
  });
});

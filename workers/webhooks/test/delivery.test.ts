import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeliveryResult } from "../../../lib/delivery/service.ts";
import type { DeliveryRpc } from "../../../lib/rpc.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";

/** The entrypoint exactly as the router and identity reach it through DELIVERY. */
const delivery = (exports as unknown as { DeliveryService: DeliveryRpc }).DeliveryService;
const send = (request: unknown) => delivery.send(request as never) as Promise<DeliveryResult>;
const fake = fakeControl(env.FAKE_PLATFORM_URL);
const snowflake = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 19);
const twitchId = () => String(Math.floor(Math.random() * 1e11));
const slackId = (p: string) => `${p}${crypto.randomUUID().slice(0, 9).toUpperCase().replace(/-/g, "")}`;

/** A community with a Discord guild, a Twitch channel and a Slack team of its own. */
const community = () => createCommunity({ discord: snowflake(), twitch: twitchId(), slack: slackId("T") });

/** A platform user who is a member of the community (as chat or an invite makes them). */
async function member(communityId: string, platform: string, platformUserId: string) {
  const userId = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare("INSERT INTO users (id, display_name, created_at, updated_at) VALUES (?, 'm', 0, 0)").bind(userId),
    env.DB.prepare(
      "INSERT INTO user_identities (id, user_id, platform, platform_user_id, username, created_at) VALUES (?, ?, ?, ?, 'm', 0)",
    ).bind(crypto.randomUUID(), userId, platform, platformUserId),
    env.DB.prepare(
      "INSERT INTO community_members (community_id, user_id, role, points, joined_at) VALUES (?, ?, 'member', 0, 0)",
    ).bind(communityId, userId),
  ]);
}

describe("DeliveryService.send: channels", () => {
  it("sends to the community's own Twitch channel and refuses another community's, sending nothing", async () => {
    const mine = await community();
    const theirs = await community();
    const ok = await send({
      communityId: mine.id,
      platform: "twitch",
      channel: mine.platformIds.twitch,
      message: { text: "hi" },
    });
    expect(ok).toEqual({ ok: true, status: "sent" });
    const sent = await fake.requests("/helix/chat/messages");
    expect(
      sent.filter((r) => (r.body as { broadcaster_id: string }).broadcaster_id === mine.platformIds.twitch),
    ).toHaveLength(1);

    const refused = await send({
      communityId: mine.id,
      platform: "twitch",
      channel: theirs.platformIds.twitch,
      message: { text: "hi" },
    });
    expect(refused).toMatchObject({ ok: false, error: "refused" });
    const after = await fake.requests("/helix/chat/messages");
    expect(after.some((r) => (r.body as { broadcaster_id: string }).broadcaster_id === theirs.platformIds.twitch)).toBe(
      false,
    );
  });

  it("sends Discord components to a channel of the community's guild; a channel of another guild is refused", async () => {
    const mine = await community();
    const channel = snowflake();
    const foreign = snowflake();
    await fake.script({
      method: "GET",
      path: `/discord/channels/${channel}`,
      status: 200,
      body: { id: channel, guild_id: mine.platformIds.discord },
    });
    await fake.script({
      method: "GET",
      path: `/discord/channels/${foreign}`,
      status: 200,
      body: { id: foreign, guild_id: snowflake() },
    });
    const components = [
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: "Join", custom_id: "giveaway:join" },
          { type: 2, style: 5, label: "Rules", url: "https://example.com/rules" },
        ],
      },
      {
        type: 1,
        components: [
          {
            type: 3,
            custom_id: "role:pick",
            options: [
              { label: "Red", value: "red" },
              { label: "Blue", value: "blue" },
            ],
          },
        ],
      },
    ];
    const ok = await send({
      communityId: mine.id,
      platform: "discord",
      channel,
      message: { text: "Giveaway!", components },
    });
    expect(ok).toEqual({ ok: true, status: "sent" });
    const [posted] = await fake.requests(`/discord/channels/${channel}/messages`);
    expect(posted!.body).toEqual({ content: "Giveaway!", components, allowed_mentions: { parse: [] } });

    expect(
      await send({ communityId: mine.id, platform: "discord", channel: foreign, message: { text: "x" } }),
    ).toMatchObject({ ok: false, error: "refused" });
    expect(await fake.requests(`/discord/channels/${foreign}/messages`)).toHaveLength(0);
  });

  it("sends Slack blocks (mrkdwn escaped) to a channel of the community's workspace; another workspace's is refused", async () => {
    const mine = await community();
    const channel = slackId("C");
    await fake.script({
      path: "/slack/conversations.info",
      status: 200,
      body: { ok: true, channel: { id: channel, context_team_id: mine.platformIds.slack } },
    });
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: "*Vote* <!channel>" } },
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: "Yes" }, action_id: "vote:yes" }],
      },
    ];
    expect(await send({ communityId: mine.id, platform: "slack", channel, message: { text: "Vote", blocks } })).toEqual(
      { ok: true, status: "sent" },
    );
    const posted = (await fake.requests("/slack/chat.postMessage")).find(
      (r) => (r.body as { channel: string }).channel === channel,
    );
    expect((posted!.body as { blocks: unknown[] }).blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "*Vote* &lt;!channel&gt;" } },
      blocks[1],
    ]);

    const other = slackId("C");
    await fake.script({
      path: "/slack/conversations.info",
      status: 200,
      body: { ok: true, channel: { id: other, context_team_id: "TOTHER" } },
    });
    expect(
      await send({ communityId: mine.id, platform: "slack", channel: other, message: { text: "x" } }),
    ).toMatchObject({ ok: false, error: "refused" });
  });
});

describe("DeliveryService.send: direct messages", () => {
  it("DMs a member of the community on Discord; a stranger (not in the guild) is refused", async () => {
    const mine = await community();
    const known = snowflake();
    await member(mine.id, "discord", known);
    expect(await send({ communityId: mine.id, platform: "discord", user: known, message: { text: "psst" } })).toEqual({
      ok: true,
      status: "sent",
    });
    expect(await fake.requests(`/discord/channels/dm-${known}/messages`)).toHaveLength(1);

    const stranger = snowflake();
    await fake.script({
      method: "GET",
      path: `/discord/guilds/${mine.platformIds.discord}/members/${stranger}`,
      status: 404,
      body: { code: 10007 },
    });
    expect(
      await send({ communityId: mine.id, platform: "discord", user: stranger, message: { text: "psst" } }),
    ).toMatchObject({ ok: false, error: "refused" });
    expect(await fake.requests(`/discord/channels/dm-${stranger}/messages`)).toHaveLength(0);
  });

  it("whispers within the bot's limits (3 per second): the fourth waits in the Outbox", async () => {
    const mine = await community();
    const users = [twitchId(), twitchId(), twitchId(), twitchId()];
    for (const u of users) await member(mine.id, "twitch", u);
    // Storage is per test file: the bot's whisper object starts empty here.
    const results = [];
    for (const u of users)
      results.push(await send({ communityId: mine.id, platform: "twitch", user: u, message: { text: "code" } }));
    const statuses = results.map((r) => (r.ok ? r.status : r.error));
    expect(statuses).toEqual(["sent", "sent", "sent", "queued"]);
    const whispered = await fake.requests("/helix/whispers");
    expect(whispered.filter((r) => users.some((u) => r.path.includes(`to_user_id=${u}`)))).toHaveLength(3);
  });
});

describe("DeliveryService.send: bad input", () => {
  it("answers invalid (never throws) for malformed requests, and sends nothing", async () => {
    const mine = await community();
    // Targets of this test's own: other files send through the same fake at the same time.
    const discordChannel = String(100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)));
    const slackChannel = `C${crypto.randomUUID().slice(0, 10).toUpperCase().replace(/-/g, "")}`;
    const before = (await fake.requests()).length;
    const bad = [
      {},
      { communityId: mine.id, platform: "twitch", message: { text: "no target" } },
      {
        communityId: mine.id,
        platform: "twitch",
        channel: mine.platformIds.twitch,
        user: "2",
        message: { text: "both" },
      },
      { platform: "twitch", channel: mine.platformIds.twitch, message: { text: "channel without community" } },
      {
        communityId: mine.id,
        platform: "twitch",
        channel: mine.platformIds.twitch,
        message: { text: "x".repeat(501) },
      },
      {
        communityId: mine.id,
        platform: "twitch",
        channel: mine.platformIds.twitch,
        message: { text: "x", blocks: [{ type: "divider" }] },
      },
      {
        communityId: mine.id,
        platform: "discord",
        channel: discordChannel,
        message: {
          text: "x",
          components: Array(6).fill({ type: 1, components: [{ type: 2, style: 1, label: "a", custom_id: "a" }] }),
        },
      },
      {
        communityId: mine.id,
        platform: "discord",
        channel: discordChannel,
        message: {
          text: "x",
          components: [{ type: 1, components: [{ type: 2, style: 5, label: "a", url: "javascript:alert(1)" }] }],
        },
      },
      {
        communityId: mine.id,
        platform: "discord",
        channel: discordChannel,
        message: {
          text: "x",
          components: [
            {
              type: 1,
              components: [
                { type: 2, style: 1, label: "a", custom_id: "same" },
                { type: 2, style: 1, label: "b", custom_id: "same" },
              ],
            },
          ],
        },
      },
      {
        communityId: mine.id,
        platform: "slack",
        channel: slackChannel,
        message: { text: "x", blocks: Array(51).fill({ type: "divider" }) },
      },
      {
        communityId: mine.id,
        platform: "slack",
        channel: slackChannel,
        message: { text: "x", blocks: [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }] },
      },
      {
        communityId: mine.id,
        platform: "slack",
        channel: slackChannel,
        message: { text: "x", blocks: [{ type: "video", url: "https://x" }] },
      },
    ];
    for (const request of bad)
      expect(await send(request), JSON.stringify(request).slice(0, 80)).toMatchObject({ ok: false, error: "invalid" });
    // Nothing reached the platforms for any target of this test.
    const sent = (await fake.requests())
      .slice(before)
      .filter((r) =>
        [discordChannel, slackChannel, mine.platformIds.twitch].some((id) => JSON.stringify(r).includes(id)),
      );
    expect(sent).toEqual([]);
  });
});

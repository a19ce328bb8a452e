import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EventOutcome } from "../../../lib/events/chat-event.ts";
import { editOriginalResponse } from "../../../lib/platforms/discord.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { vars } from "../../../test/workerd/ingress.ts";
import { answerWithin } from "../src/discord-respond.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);

/** Runs answerWithin with a router answer the test releases by hand: no clocks involved. */
function slowRouter() {
  let resolve!: (o: EventOutcome) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<EventOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const background: Promise<unknown>[] = [];
  const token = `tok-${crypto.randomUUID()}`;
  const answer = answerWithin(promise, {
    budgetMs: 1,
    isComponent: false,
    followUp: (msg) => editOriginalResponse(vars, vars.DISCORD_APPLICATION_ID, token, msg),
    waitUntil: (p) => background.push(p),
  });
  return { answer, resolve, reject, background, token };
}

describe("Discord: the 3-second rule", () => {
  it("answers type 4 inline when the router is within the budget", async () => {
    const res = await answerWithin(Promise.resolve({ status: "processed", replies: [{ type: "chat", text: "hi" }] }), {
      budgetMs: 2_000,
      isComponent: false,
      followUp: async () => {},
      waitUntil: () => {},
    });
    // The inline answer carries allowed_mentions too: it does not pass through discord.ts.
    expect(res).toEqual({ type: 4, data: { content: "hi", allowed_mentions: { parse: [] } } });
  });

  it("defers (type 5) a slow reply and delivers it by PATCH …/messages/@original", async () => {
    const slow = slowRouter();
    expect(await slow.answer).toEqual({ type: 5 });
    slow.resolve({ status: "processed", replies: [{ type: "chat", text: "late but here" }] });
    await Promise.all(slow.background);
    const path = `/webhooks/${vars.DISCORD_APPLICATION_ID}/${slow.token}/messages/@original`;
    const sent = await fake.requests(path);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe("PATCH");
    expect(sent[0]!.body).toMatchObject({ content: "late but here", allowed_mentions: { parse: [] } });
    // No bot token on interaction webhooks: the interaction token is the credential.
    expect(sent[0]!.headers.authorization).toBeUndefined();
  });

  it("replaces the deferred message with an apology when the router fails after the deferral", async () => {
    const slow = slowRouter();
    expect(await slow.answer).toEqual({ type: 5 });
    slow.reject(new Error("router down"));
    await Promise.all(slow.background);
    const sent = await fake.requests(`/webhooks/${vars.DISCORD_APPLICATION_ID}/${slow.token}/messages/@original`);
    expect(sent.map((r) => (r.body as { content: string }).content)).toEqual(["Sorry, something went wrong."]);
  });

  it("sends only chat replies to Discord (overlay replies stay out of the message)", async () => {
    const res = await answerWithin(
      Promise.resolve({
        status: "processed",
        replies: [
          { type: "ticker", data: { text: "overlay only" } },
          { type: "chat", text: "for chat", ephemeral: true },
        ],
      }),
      { budgetMs: 2_000, isComponent: false, followUp: async () => {}, waitUntil: () => {} },
    );
    expect(res).toEqual({ type: 4, data: { content: "for chat", flags: 64, allowed_mentions: { parse: [] } } });
  });
});

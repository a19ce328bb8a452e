/**
 * The marketplace end to end: an author publishes a webhook module (a local HTTP server that
 * checks each installation's signature), the demo community installs 1.0.0 and its command
 * answers a signed Slack message, upgrades to 1.1.0 and gets the new command, downgrades; a
 * paid module runs once Stripe's signed webhook says it is paid and stops when it is cancelled.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hmacSha256Hex } from "../../lib/crypto/hmac.ts";
import { stripeEvent, stripeHeaders } from "../shared/sign.ts";
import { slackSays as say } from "./chat-says.ts";
import { adminApi } from "./platforms.ts";

const urls = inject("urls");
const vars = inject("vars");
const community = inject("demoCommunityId");
const suffix = crypto.randomUUID().slice(0, 6);
const slackSays = (text: string) => say(text, { user: "U0MARKET" });

async function stripeWebhook(type: string, object: Record<string, unknown>) {
  const body = stripeEvent(type, object);
  const res = await fetch(`${urls.router}/stripe/webhook`, {
    method: "POST",
    body,
    headers: await stripeHeaders(vars.STRIPE_WEBHOOK_SECRET!, body),
  });
  expect(res.status).toBe(200);
}

describe("a marketplace webhook module, published, installed, upgraded and downgraded", () => {
  const name = `penguin-facts-${suffix}`;
  const hello = `hello${suffix}`;
  const bye = `bye${suffix}`;
  /** The installation secrets this module's author keeps, by installation id. */
  const secrets = new Map<string, string>();
  const calls: { verified: boolean; version: string; command: string }[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const secret = secrets.get(String(req.headers["x-waddlebot-installation"])) ?? "";
      const ts = String(req.headers["x-waddlebot-timestamp"]);
      const verified =
        req.headers["x-waddlebot-signature"] === `sha256=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
      const version = req.url?.slice(1) ?? "?";
      const command = (JSON.parse(body) as { command?: { name: string } }).command?.name ?? "";
      calls.push({ verified, version, command });
      res.writeHead(verified ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(verified ? { replies: [{ type: "chat", text: `${command} from ${version}` }] } : {}));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const version = (v: string, commands: string[]) => ({
    version: v,
    engine: "webhook",
    config: { url: `${base}/${v}`, timeoutMs: 3000 },
    commands: commands.map((c) => ({ name: c, description: `Says ${c}` })),
  });

  it("publishes 1.0.0 and 1.1.0; the community installs 1.0.0 and its command answers on Slack", async () => {
    const first = await adminApi("POST", "/api/v1/marketplace/modules", {
      name,
      displayName: "Penguin facts",
      description: "Facts about penguins",
      categories: ["fun/facts"],
      labels: ["penguins"],
      version: version("1.0.0", [hello]),
    });
    expect(first.status).toBe(201);
    expect(
      (await adminApi("POST", `/api/v1/marketplace/modules/${name}/versions`, version("1.1.0", [hello, bye]))).status,
    ).toBe(201);
    const found = await adminApi("GET", `/api/v1/marketplace/modules?q=penguins&label=penguins`);
    expect((found.body.data as { items: { name: string }[] }).items.map((i) => i.name)).toContain(name);

    const installed = await adminApi("POST", `/api/v1/communities/${community}/installations`, {
      module: name,
      version: "1.0.0",
    });
    expect(installed.status).toBe(201);
    const data = installed.body.data as { id: string; webhookSecret: string };
    secrets.set(data.id, data.webhookSecret);
    expect(await slackSays(`!${hello}`)).toBe(`${hello} from 1.0.0`);
    expect(calls.at(-1)).toEqual({ verified: true, version: "1.0.0", command: hello });
  });

  it("upgrades to 1.1.0 (the new command answers) and downgrades to 1.0.0 (it no longer does)", async () => {
    const path = `/api/v1/communities/${community}/installations/${name}`;
    expect((await adminApi("PATCH", path, { version: "1.1.0" })).status).toBe(200);
    expect(await slackSays(`!${bye}`)).toBe(`${bye} from 1.1.0`);
    expect(await slackSays(`!${hello}`)).toBe(`${hello} from 1.1.0`);
    expect((await adminApi("PATCH", path, { version: "1.0.0" })).status).toBe(200);
    expect(await slackSays(`!${hello}`)).toBe(`${hello} from 1.0.0`);
    // The registry the router answers from (what !help lists) no longer has the 1.1.0 command.
    const commands = await adminApi("GET", `/api/v1/communities/${community}/installations`);
    const mine = (commands.body.data as { module: string; commands: { name: string }[] }[]).find(
      (i) => i.module === name,
    );
    expect(mine?.commands.map((c) => c.name)).toEqual([hello]);
    const help = await slackSays("!help");
    expect(help).toContain(hello);
    expect(help).not.toContain(bye);
    expect(calls.every((c) => c.verified)).toBe(true);
  });
});

describe("a paid marketplace module and its Stripe subscription", () => {
  const name = `premium-${suffix}`;
  const cmd = `gold${suffix}`;
  let server: Server;
  let secret = "";

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const ts = String(req.headers["x-waddlebot-timestamp"]);
      const ok = req.headers["x-waddlebot-signature"] === `sha256=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? { replies: [{ type: "chat", text: "golden answer" }] } : {}));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("runs once paid and is blocked after the subscription is cancelled by a signed Stripe webhook", async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const published = await adminApi("POST", "/api/v1/marketplace/modules", {
      name,
      displayName: "Premium",
      version: {
        version: "1.0.0",
        engine: "webhook",
        config: { url },
        commands: [{ name: cmd }],
        price: { type: "monthly", amount: 300, currency: "usd" },
      },
    });
    expect(published.status).toBe(201);
    const installed = await adminApi("POST", `/api/v1/communities/${community}/installations`, { module: name });
    expect(installed.status).toBe(201);
    const data = installed.body.data as { id: string; webhookSecret: string; checkoutUrl: string };
    secret = data.webhookSecret;
    expect(data.checkoutUrl).toContain("checkout.stripe.test");
    expect(await slackSays(`!${cmd}`)).toContain("is paused");

    const subscription = `sub_${suffix}`;
    await stripeWebhook("checkout.session.completed", {
      id: `cs_test_${data.id.replaceAll("-", "")}`,
      object: "checkout.session",
      payment_status: "paid",
      subscription,
      customer: `cus_${suffix}`,
    });
    expect(await slackSays(`!${cmd}`)).toBe("golden answer");

    await stripeWebhook("customer.subscription.deleted", {
      id: subscription,
      object: "subscription",
      status: "canceled",
    });
    expect(await slackSays(`!${cmd}`)).toContain("is paused");
    const list = await adminApi("GET", `/api/v1/communities/${community}/installations`);
    const mine = (list.body.data as { module: string; subscription: { status: string } }[]).find(
      (i) => i.module === name,
    );
    expect(mine?.subscription.status).toBe("canceled");
  });
});

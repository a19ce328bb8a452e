import { createServer, type Server } from "node:net";
import { afterAll, expect, it } from "vitest";
import { busyPortMessage, localPorts } from "../../scripts/ports.ts";
import { freePort } from "../support/free-port.ts";

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

it("defaults to 8787–8789 and 8791; WADDLEBOT_PORT moves them all in that layout, a per-worker setting moves one", () => {
  expect(localPorts({})).toEqual({ router: 8787, webhooks: 8788, identity: 8789, modules: 8791 });
  // The default base gives the defaults: modules never lands on the relay's 8790.
  expect(localPorts({ WADDLEBOT_PORT: "8787" })).toEqual(localPorts({}));
  expect(localPorts({ WADDLEBOT_PORT: "9000" })).toEqual({
    router: 9000,
    webhooks: 9001,
    identity: 9002,
    modules: 9004,
  });
  expect(localPorts({ WADDLEBOT_PORT: "9000", WADDLEBOT_IDENTITY_PORT: "7000" })).toEqual({
    router: 9000,
    webhooks: 9001,
    identity: 7000,
    modules: 9004,
  });
});

it("refuses a port that is not one, naming the setting", () => {
  expect(() => localPorts({ WADDLEBOT_PORT: "abc" })).toThrow("WADDLEBOT_PORT=abc is not a port");
  expect(() => localPorts({ WADDLEBOT_WEBHOOKS_PORT: "70000" })).toThrow("WADDLEBOT_WEBHOOKS_PORT=70000");
});

it("a busy port gets one line naming it and how to change it; free ports get none", async () => {
  const [a, b, c, d] = [await freePort(), await freePort(), await freePort(), await freePort()];
  expect(await busyPortMessage({ router: a, webhooks: b, identity: c, modules: d })).toBeNull();
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(b, "127.0.0.1", r));
  const message = await busyPortMessage({ router: a, webhooks: b, identity: c, modules: d });
  expect(message).toContain(`Port ${b} (webhooks) is already in use`);
  expect(message).toContain("WADDLEBOT_PORT=");
  expect(message).toContain("WADDLEBOT_WEBHOOKS_PORT=<port>");
  expect(message!.split("\n")).toHaveLength(1);
});

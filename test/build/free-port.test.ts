import { type AddressInfo, createServer, type Server } from "node:net";
import { afterAll, expect, it } from "vitest";
import { freePort, withFreshPorts } from "../support/free-port.ts";

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });

const held = await listen(0);
afterAll(() => held.close());

it("picks again when the picked port was taken before it was bound", async () => {
  const tried: number[] = [];
  const server = await withFreshPorts(async (attempt) => {
    // The first pick is "taken meanwhile": another process holds it by bind time.
    const port = attempt === 1 ? (held.address() as AddressInfo).port : await freePort();
    tried.push(port);
    return listen(port);
  });
  expect(tried).toHaveLength(2);
  expect((server.address() as AddressInfo).port).toBe(tried[1]);
  server.close();
});

it("gives up after the last attempt, and does not retry any other failure", async () => {
  let calls = 0;
  const taken = (held.address() as AddressInfo).port;
  const always = () => {
    calls++;
    return listen(taken);
  };
  await expect(withFreshPorts(always, 2)).rejects.toMatchObject({ code: "EADDRINUSE" });
  expect(calls).toBe(2);
  calls = 0;
  await expect(
    withFreshPorts(async () => {
      calls++;
      throw new Error("no such table: communities");
    }),
  ).rejects.toThrow("no such table");
  expect(calls).toBe(1);
});

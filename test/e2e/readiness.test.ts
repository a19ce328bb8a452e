/**
 * `npm start` readiness: no port answers before the D1 migrations and the demo seed are done,
 * so nobody ever meets "no such table". Starts a local system of its own (own ports, own
 * state) the way scripts/start.ts does, and polls it from before it starts until it is up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { type LocalSystem, startLocal } from "../../scripts/local.ts";
import { seedDemo } from "../../scripts/seed.ts";
import { freePort } from "../support/free-port.ts";
import { makeTestVars } from "../support/test-vars.ts";

const dir = mkdtempSync(path.join(tmpdir(), "waddlebot-ready-"));
let system: LocalSystem | undefined;
afterAll(async () => {
  await system?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Does anything accept a TCP connection on the port? */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

it("opens no port until migrations and the demo seed are done; every answer during start-up is a ready one", {
  timeout: 90_000,
}, async () => {
  const vars = makeTestVars();
  // Every worker's port, the modules worker's too: left out, it takes its `npm start` default
  // (8791), which another local system on the machine may hold (ERR_ADDRESS_IN_USE).
  const ports = {
    router: await freePort(),
    webhooks: await freePort(),
    identity: await freePort(),
    modules: await freePort(),
  };
  const base = `http://127.0.0.1:${ports.router}`;
  const answers: { status: number; d1?: string; seeded: boolean }[] = [];
  let seeded = false;
  let portsOpenDuringPrepare: boolean[] = [];
  let starting = true;

  // Poll the router from before it starts until startLocal returns: a refused connection is
  // fine, any answer must come from a ready system (D1 migrated and the seed written).
  const poller = (async () => {
    while (starting) {
      try {
        const res = await fetch(`${base}/health/detailed`, { signal: AbortSignal.timeout(5_000) });
        const body = (await res.json()) as { checks?: { d1?: { status: string } } };
        answers.push({ status: res.status, d1: body.checks?.d1?.status, seeded });
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();

  system = await startLocal({
    ports,
    persistDir: path.join(dir, "state"),
    buildDir: path.join(dir, "build"),
    vars,
    prepare: async (db) => {
      // The tables exist by now, yet no worker may be reachable.
      portsOpenDuringPrepare = await Promise.all(Object.values(ports).map(accepts));
      await seedDemo(db, vars);
      seeded = true;
    },
  });
  starting = false;
  await poller;

  expect(portsOpenDuringPrepare).toEqual([false, false, false, false]);
  for (const answer of answers) expect(answer).toEqual({ status: 200, d1: "ok", seeded: true });
  // Up: the first request finds the seeded admin (the identity worker reads the same D1).
  const login = await fetch(`${system.urls.router}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  expect(system.urls.router).toBe(base);
  expect(await accepts(ports.webhooks)).toBe(true);
  expect(await accepts(ports.identity)).toBe(true);
  expect(await accepts(ports.modules)).toBe(true);
});

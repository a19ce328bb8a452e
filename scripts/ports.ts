/**
 * The local ports `npm start` opens, and a check that they are free before anything starts:
 * a busy port gets one line that names it and says how to pick another, instead of a
 * Miniflare stack trace.
 */
import { createServer } from "node:net";
import { WORKERS, type WorkerKey } from "./local.ts";

const PER_WORKER: Record<WorkerKey, string> = {
  router: "WADDLEBOT_ROUTER_PORT",
  webhooks: "WADDLEBOT_WEBHOOKS_PORT",
  identity: "WADDLEBOT_IDENTITY_PORT",
  modules: "WADDLEBOT_MODULES_PORT",
};

const portOf = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name}=${value} is not a port (1–65535)`);
  return port;
};

/**
 * Ports from the environment: `WADDLEBOT_PORT` moves all four, keeping the default layout (router
 * there, webhooks +1, identity +2, modules +4: +3 is where the gateway relay listens by default, as
 * 8790 is), so WADDLEBOT_PORT=8787 is the defaults; `WADDLEBOT_ROUTER_PORT` and friends move one.
 * Defaults 8787, 8788, 8789, 8791.
 */
export function localPorts(env: NodeJS.ProcessEnv = process.env): Record<WorkerKey, number> {
  const base = portOf(env.WADDLEBOT_PORT, "WADDLEBOT_PORT");
  const ports = {} as Record<WorkerKey, number>;
  const first = WORKERS[0].port;
  for (const w of WORKERS) {
    ports[w.key] =
      portOf(env[PER_WORKER[w.key]], PER_WORKER[w.key]) ?? (base !== undefined ? base + w.port - first : w.port);
  }
  return ports;
}

const isFree = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

/** The one line to print for the first busy port, or null when all are free. */
export async function busyPortMessage(ports: Record<WorkerKey, number>, host = "127.0.0.1"): Promise<string | null> {
  for (const w of WORKERS) {
    if (await isFree(host, ports[w.key])) continue;
    return (
      `Port ${ports[w.key]} (${w.key}) is already in use. Stop what uses it, or start on other ports: ` +
      `WADDLEBOT_PORT=9787 npm start (router there, webhooks and identity on the next two, modules on 9791), ` +
      `or ${PER_WORKER[w.key]}=<port> for this one.`
    );
  }
  return null;
}

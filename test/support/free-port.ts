import { type AddressInfo, createServer } from "node:net";

/** A port free right now (the OS picks it; closed again before workerd binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Did workerd fail to bind a socket because something else holds the port? */
const portTaken = (err: unknown) => /ERR_ADDRESS_IN_USE|EADDRINUSE/.test(`${(err as { code?: string })?.code} ${err}`);

/**
 * Starts something on ports picked by `freePort` (passed the attempt number), picking again
 * when one was taken in between: the pick closes its port before workerd binds it seconds
 * later, and other local systems on the machine open ports meanwhile. Any other error fails.
 */
export async function withFreshPorts<T>(start: (attempt: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(attempt);
    } catch (err) {
      if (attempt >= attempts || !portTaken(err)) throw err;
    }
  }
}

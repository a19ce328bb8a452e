/**
 * `npm run relay`: one gateway-relay copy. Settings from the environment (README,
 * "Configuration"); SIGTERM (docker stop, Ctrl-C) stops it cleanly.
 */
import { readConfig } from "./config.ts";
import { startRelay } from "./relay.ts";

const relay = await startRelay(readConfig());
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await relay.stop();
    process.exit(0);
  });
}

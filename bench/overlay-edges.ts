/**
 * Edge processes for the overlay bench. One workerd process cannot hold 10,000 pages here: it
 * keeps two file descriptors per WebSocket (the socket and a dup; a bare Worker does the same)
 * under a hard limit of 20,000 that only CAP_SYS_RESOURCE could raise. In production a page's
 * connection ends at a Cloudflare machine near the page, running the router Worker, and the
 * Durable Object it reaches runs elsewhere. This plays that part locally: each edge is its own
 * workerd (a Miniflare instance) running the same router Worker bundle, with `OVERLAY_ROOM`
 * bound to the rooms of the main system (`scripts/local.ts`) through Miniflare's dev registry,
 * so the rooms (and their numbering, replay log and child rooms) stay single in the main process
 * and only the pages' sockets live in the edges.
 *
 * An edge's router checks the page's token in its own D1, into which the bench copies the
 * community's row and its overlay tokens (nothing else of the overlay path reads D1).
 */
import path from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { applyMigrations, miniflareWorker } from "../scripts/local.ts";

type D1Like = Awaited<ReturnType<Miniflare["getD1Database"]>>;

export interface Edge {
  mf: Miniflare;
  /** The edge router's origin, e.g. http://127.0.0.1:41234 */
  url: string;
}

/** Copies `table` rows matching `where` from the main system's D1 into an edge's. */
async function copyRows(from: D1Like, to: D1Like, table: string, where: string, arg: string, nulls: string[] = []) {
  const { results } = await from.prepare(`SELECT * FROM ${table} WHERE ${where} = ?`).bind(arg).all();
  for (const row of results as Record<string, unknown>[]) {
    for (const col of nulls) row[col] = null;
    const cols = Object.keys(row);
    await to
      .prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`)
      .bind(...cols.map((c) => row[c]))
      .run();
  }
}

/**
 * Starts `count` edges (each a router Worker in its own workerd, storage under `dir`), registered
 * in the same dev registry as the main system, serving `communityId`'s overlay pages.
 */
export async function startEdges(opts: {
  count: number;
  dir: string;
  registry: string;
  vars: Record<string, string>;
  mainDb: D1Like;
  communityId: string;
}): Promise<Edge[]> {
  const edges: Edge[] = [];
  for (let i = 0; i < opts.count; i++) {
    const worker = await miniflareWorker("wrangler.toml", path.join(opts.dir, `edge-${i}`, "build"), opts.vars);
    // No queue consumers: the edge must not take the main system's messages off the registry.
    const { queueConsumers: _consumers, ...rest } = worker as typeof worker & {
      queueConsumers?: unknown;
      durableObjects?: Record<string, unknown>;
    };
    const durableObjects = {
      ...rest.durableObjects,
      // The main system's rooms: the same uniqueKey, so the same object ids, over the registry.
      OVERLAY_ROOM: { className: "OverlayRoom", scriptName: worker.name },
    };
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        // A name of its own (the registry is keyed by it); its other bindings to the main
        // system's workers (identity, modules, webhooks) resolve through the registry too.
        workers: [
          {
            ...rest,
            name: `${worker.name}-edge-${i}`,
            durableObjects,
            unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          },
        ],
        resourcePersistencePath: path.join(opts.dir, `edge-${i}`, "state"),
        unsafeDevRegistryPath: opts.registry,
        cf: false,
        log: new Log(LogLevel.WARN),
      } as never),
    );
    await mf.ready;
    const db = await mf.getD1Database("DB", `${worker.name}-edge-${i}`);
    await applyMigrations(db);
    await copyRows(opts.mainDb, db, "communities", "id", opts.communityId, ["owner_user_id"]);
    await copyRows(opts.mainDb, db, "overlay_tokens", "community_id", opts.communityId);
    const url = (await mf.unsafeGetDirectURL(`${worker.name}-edge-${i}`)).toString().replace(/\/$/, "");
    edges.push({ mf, url });
  }
  return edges;
}

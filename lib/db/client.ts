import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema/index.ts";

const build = (d1: D1Database | D1DatabaseSession) => drizzle(d1 as D1Database, { schema });

export type Database = ReturnType<typeof build>;

/**
 * One client per binding per isolate. `drizzle(d1, { schema })` builds the relational config
 * of every table of the schema each time it is called (a profile of the router bench showed it
 * among the top costs of a command); the client holds no per-request state, and the binding
 * object it wraps is itself shared by every request of the isolate.
 */
const clients = new WeakMap<D1Database | D1DatabaseSession, Database>();

/** A drizzle client over a D1 binding (or a D1 session, for read replication). */
export function createDb(d1: D1Database | D1DatabaseSession): Database {
  let db = clients.get(d1);
  if (!db) {
    db = build(d1);
    clients.set(d1, db);
  }
  return db;
}

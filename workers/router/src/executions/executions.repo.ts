import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { commandExecutions, type ENGINES, type EXECUTION_STATUSES } from "../../../../lib/db/schema/index.ts";

interface ExecutionFilter {
  command?: string;
  status?: (typeof EXECUTION_STATUSES)[number];
  engine?: (typeof ENGINES)[number];
  userId?: string;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

/** A page of a community's executions, newest first. */
export function listExecutions(db: Database, communityId: string, f: ExecutionFilter) {
  const t = commandExecutions;
  const where: SQL[] = [eq(t.communityId, communityId)];
  if (f.command) where.push(eq(t.command, f.command));
  if (f.status) where.push(eq(t.status, f.status));
  if (f.engine) where.push(eq(t.engine, f.engine));
  if (f.userId) where.push(eq(t.userId, f.userId));
  if (f.since) where.push(gte(t.createdAt, f.since));
  if (f.until) where.push(lt(t.createdAt, f.until));
  return db
    .select()
    .from(t)
    .where(and(...where))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(f.limit)
    .offset(f.offset);
}

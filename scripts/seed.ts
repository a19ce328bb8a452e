/**
 * Seeds the local database: the admin user (ADMIN_EMAIL / ADMIN_PASSWORD), who is also the local
 * instance owner (unless one exists), and a demo community linked to the DEMO_* platform ids,
 * flagged `settings.demo` so the portal labels it, with every first-party module installed. Local only (`npm start`): a deployed instance
 * gets its owner from `npm run deploy` (scripts/first-run.ts). Idempotent.
 */
import { hashPassword } from "../lib/crypto/password.ts";
import type { LocalSystem } from "./local.ts";
import { seedFirstPartyModules } from "./seed-modules.ts";

type D1Like = Awaited<ReturnType<LocalSystem["mf"]["getD1Database"]>>;

export interface SeedResult {
  adminUserId: string;
  communityId: string;
}

export async function seedDemo(db: D1Like, vars: Record<string, string | undefined>): Promise<SeedResult> {
  const email = vars.ADMIN_EMAIL?.trim().toLowerCase();
  const password = vars.ADMIN_PASSWORD;
  if (!email || !password) throw new Error("ADMIN_EMAIL and ADMIN_PASSWORD must be set in .dev.vars");
  const now = Date.now();
  const passwordHash = await hashPassword(password);
  await db
    .prepare(
      `INSERT INTO users (id, email, password_hash, display_name, global_role, reputation_score, created_at, updated_at)
       VALUES (?, ?, ?, 'Admin', 'admin', 0, ?, ?)
       ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, global_role = 'admin', updated_at = excluded.updated_at`,
    )
    .bind(crypto.randomUUID(), email, passwordHash, now, now)
    .run();
  const admin = await db.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  if (!admin) throw new Error("admin user was not written");
  // One owner per instance (the unique index): the seed never takes the role from another user.
  await db
    .prepare(
      "UPDATE users SET instance_owner = 1 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM users WHERE instance_owner = 1)",
    )
    .bind(admin.id)
    .run();

  await db
    .prepare(
      `INSERT INTO communities (id, slug, name, owner_user_id, settings, is_active, created_at, updated_at)
       VALUES (?, 'demo', 'Demo Community', ?, '{"demo":true}', 1, ?, ?)
       ON CONFLICT(slug) DO UPDATE SET settings = json_set(settings, '$.demo', json('true'))`,
    )
    .bind(crypto.randomUUID(), admin.id, now, now)
    .run();
  const community = await db.prepare("SELECT id FROM communities WHERE slug = 'demo'").first<{ id: string }>();
  if (!community) throw new Error("demo community was not written");

  const links = [
    ["discord", vars.DEMO_DISCORD_GUILD_ID, "Demo Discord server"],
    ["twitch", vars.DEMO_TWITCH_BROADCASTER_ID, "Demo Twitch channel"],
    ["slack", vars.DEMO_SLACK_TEAM_ID, "Demo Slack workspace"],
  ] as const;
  const statements = [];
  for (const [platform, platformId, displayName] of links) {
    if (!platformId) continue;
    // The demo follows the settings: a changed id replaces the demo's old link.
    statements.push(
      db
        .prepare("DELETE FROM community_platforms WHERE community_id = ? AND platform = ? AND platform_id <> ?")
        .bind(community.id, platform, platformId),
      db
        .prepare(
          `INSERT INTO community_platforms (id, community_id, platform, platform_id, display_name, status, created_at)
           VALUES (?, ?, ?, ?, ?, 'active', ?) ON CONFLICT(platform, platform_id) DO NOTHING`,
        )
        .bind(crypto.randomUUID(), community.id, platform, platformId, displayName, now),
    );
  }
  statements.push(
    db
      .prepare(
        `INSERT INTO community_members (community_id, user_id, role, points, joined_at) VALUES (?, ?, 'owner', 0, ?)
         ON CONFLICT(community_id, user_id) DO UPDATE SET role = 'owner'`,
      )
      .bind(community.id, admin.id, now),
  );
  await db.batch(statements);
  await seedFirstPartyModules(db, community.id);
  return { adminUserId: admin.id, communityId: community.id };
}

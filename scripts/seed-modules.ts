/**
 * The demo community gets every first-party module installed (issue 15). The catalogue rows
 * come from the modules' own manifests, parsed by the marketplace's schema (defaults filled), in
 * the same shape the router's first-use upsert writes (workers/router/src/marketplace/
 * official-catalog.ts); then one installation per module with its commands registered, as the
 * installations API does. Raw SQL because this runs in Node on Miniflare's D1 proxy.
 * Idempotent: an existing installation is left as it is (a demo admin may have tuned it).
 */

import { OFFICIAL_MANIFESTS } from "../workers/modules/src/catalog.ts";
import { ModuleManifest } from "../workers/router/src/marketplace/manifest.schema.ts";
import type { LocalSystem } from "./local.ts";

type D1Like = Awaited<ReturnType<LocalSystem["mf"]["getD1Database"]>>;
const json = (v: unknown) => JSON.stringify(v);

export async function seedFirstPartyModules(db: D1Like, communityId: string): Promise<void> {
  const now = Date.now();
  for (const raw of OFFICIAL_MANIFESTS) {
    const m = ModuleManifest.parse(raw);
    const v = m.version;
    const search = [
      m.name,
      m.displayName,
      m.description,
      ...m.labels,
      ...v.commands.flatMap((c) => [c.name, c.description]),
    ]
      .join(" ")
      .toLowerCase();
    await db
      .prepare(
        `INSERT INTO modules (id, name, engine, config, commands, triggers, priority, parallel, author_id, display_name,
           description, categories, labels, latest_version, search_text, created_at, updated_at)
         VALUES (?, ?, 'builtin', ?, '[]', '[]', 100, 0, NULL, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`,
      )
      .bind(
        crypto.randomUUID(),
        m.name,
        json(v.config),
        m.displayName,
        m.description,
        json(m.categories),
        json(m.labels),
        v.version,
        search,
        now,
        now,
      )
      .run();
    const mod = await db
      .prepare("SELECT id FROM modules WHERE name = ? AND author_id IS NULL AND engine = 'builtin'")
      .bind(m.name)
      .first<{ id: string }>();
    if (!mod) continue;
    await db
      .prepare(
        `INSERT INTO module_versions (id, module_id, version, engine, config, commands, events, settings_schema, permissions,
           price_monthly, currency, priority, parallel, created_at)
         VALUES (?, ?, ?, 'builtin', ?, ?, ?, ?, ?, 0, 'usd', ?, ?, ?) ON CONFLICT(module_id, version) DO NOTHING`,
      )
      .bind(
        crypto.randomUUID(),
        mod.id,
        v.version,
        json(v.config),
        json(v.commands),
        json(v.events),
        json(v.settings),
        json(v.permissions),
        v.priority,
        v.parallel ? 1 : 0,
        now,
      )
      .run();
    const version = await db
      .prepare("SELECT id FROM module_versions WHERE module_id = ? AND version = ?")
      .bind(mod.id, v.version)
      .first<{ id: string }>();
    const installed = await db
      .prepare("SELECT 1 AS x FROM module_installations WHERE community_id = ? AND module_id = ?")
      .bind(communityId, mod.id)
      .first();
    if (!version || installed) continue;
    await db.batch([
      db
        .prepare(
          `INSERT INTO module_installations (id, community_id, module_id, enabled, version_id, settings, overrides, created_at)
           VALUES (?, ?, ?, 1, ?, '{}', '{}', ?)`,
        )
        .bind(crypto.randomUUID(), communityId, mod.id, version.id, now),
      ...v.commands.map((c) =>
        db
          .prepare(
            `INSERT INTO commands (id, community_id, prefix, name, kind, module_id, description, min_level, global_cooldown_sec,
               user_cooldown_sec, enabled, disabled_channels, created_at, updated_at)
             VALUES (?, ?, '!', ?, 'module', ?, ?, ?, ?, ?, 1, '[]', ?, ?) ON CONFLICT DO NOTHING`,
          )
          .bind(
            crypto.randomUUID(),
            communityId,
            c.name,
            mod.id,
            c.description,
            c.minLevel,
            c.globalCooldownSec,
            c.userCooldownSec,
            now,
            now,
          ),
      ),
    ]);
  }
}

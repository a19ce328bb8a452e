import { z } from "@hono/zod-openapi";
import type { users } from "../../../../lib/db/schema/index.ts";
import type { CatalogModule, VersionRow } from "./catalog.repo.ts";
import { CommandSpec, ModuleName, VersionManifest } from "./manifest.schema.ts";

export const NameParams = z.object({ name: ModuleName });
export const VersionParams = NameParams.extend({ version: z.string().max(64) });

export const CatalogQuery = z.object({
  q: z.string().max(200).optional(),
  category: z.string().max(140).optional(),
  label: z.string().trim().toLowerCase().max(32).optional(),
  sort: z.enum(["name", "rating", "installs", "newest"]).default("name"),
  /** `true`: only the caller's own modules (the author page). */
  mine: z.enum(["true", "false"]).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const VersionInput = VersionManifest;
export const YankInput = z.object({ reason: z.string().max(300).default("") }).openapi("YankInput");

export const ModuleVersion = z
  .object({
    version: z.string(),
    engine: z.string(),
    config: z.record(z.string(), z.unknown()),
    commands: z.array(CommandSpec),
    events: z.array(z.string()),
    settings: z.record(z.string(), z.unknown()),
    permissions: z.array(z.string()),
    price: z.object({ type: z.enum(["free", "monthly"]), amount: z.number(), currency: z.string() }),
    yanked: z.boolean(),
    yankReason: z.string().nullable(),
    publishedAt: z.string(),
  })
  .openapi("ModuleVersion");

const CatalogEntry = z
  .object({
    name: z.string(),
    displayName: z.string(),
    description: z.string(),
    categories: z.array(z.string()),
    labels: z.array(z.string()),
    homepage: z.string().nullable(),
    iconUrl: z.string().nullable(),
    latestVersion: z.string(),
    author: z.object({ id: z.string(), displayName: z.string() }).nullable(),
    /** A first-party module (workers/modules): shipped with WaddleBot, no author. */
    official: z.boolean(),
    installs: z.number(),
    rating: z.number().nullable(),
    reviews: z.number(),
  })
  .openapi("MarketplaceModule");

export const CatalogDetail = CatalogEntry.extend({ versions: z.array(ModuleVersion) }).openapi(
  "MarketplaceModuleDetail",
);
export const CatalogPage = z
  .object({ items: z.array(CatalogEntry), page: z.number(), hasMore: z.boolean() })
  .openapi("MarketplacePage");

/** A version as the API shows it (its config has no secret: versions never hold one). */
export const versionToApi = (v: VersionRow): z.infer<typeof ModuleVersion> => ({
  version: v.version,
  engine: v.engine,
  config: v.config,
  commands: v.commands,
  events: v.events,
  settings: v.settingsSchema,
  permissions: v.permissions,
  price: { type: v.priceMonthly > 0 ? "monthly" : "free", amount: v.priceMonthly, currency: v.currency },
  yanked: v.yankedAt !== null,
  yankReason: v.yankReason,
  publishedAt: v.createdAt.toISOString(),
});

type Author = Pick<typeof users.$inferSelect, "id" | "displayName"> | null;

export const entryToApi = (
  m: CatalogModule,
  stats: { installs: number; rating: number | null; reviews: number },
  author: Author = null,
): z.infer<typeof CatalogEntry> => ({
  name: m.name,
  displayName: m.displayName ?? m.name,
  description: m.description,
  categories: m.categories,
  labels: m.labels,
  homepage: m.homepage,
  iconUrl: m.iconUrl,
  latestVersion: m.latestVersion ?? "",
  author: author ? { id: author.id, displayName: author.displayName } : null,
  official: m.authorId === null && m.engine === "builtin",
  installs: Number(stats.installs),
  rating: stats.rating === null ? null : Math.round(Number(stats.rating) * 100) / 100,
  reviews: Number(stats.reviews),
});

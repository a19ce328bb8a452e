import { z } from "@hono/zod-openapi";
import { LABEL_ENTITY_TYPES, PLATFORMS } from "../../../../lib/db/schema/index.ts";

// The cap and the name form are shared with the modules worker's chat commands.
import { MAX_LABELS_PER_ENTITY, normalizeLabelName } from "../../../../lib/labels/entity-labels.ts";

export { MAX_LABELS_PER_ENTITY, normalizeLabelName };
/** A bound on the catalogue itself, so no table grows without limit (DESIGN.md). */
export const MAX_LABELS_PER_COMMUNITY_CATALOGUE = 200;
/** Seeds: bulk operations up to 1,000 items per batch. */
const MAX_BULK_OPERATIONS = 1000;
/** Entity groups a community may map (each one is platform work on every label change). */
export const MAX_ENTITY_GROUPS = 50;

const LabelName = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, " "))
  .pipe(z.string().min(1, "a label needs a name").max(50));

export const LabelFields = z.object({
  name: LabelName,
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "colour as #rrggbb")
    .transform((s) => s.toLowerCase())
    .default("#6b7280"),
  description: z.string().trim().max(200).default(""),
});
export type LabelFieldsValue = z.infer<typeof LabelFields>;
export const LabelInput = LabelFields.openapi("LabelInput");

export const LabelSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    name: z.string(),
    color: z.string(),
    description: z.string(),
    /** How many users carry it in this community. */
    users: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Label");

export const LabelParams = z.object({ communityId: z.uuid(), labelId: z.uuid() });
export const MemberParams = z.object({ communityId: z.uuid(), userId: z.uuid() });
export const MemberLabelParams = MemberParams.extend({ labelId: z.uuid() });

/** A label named by its id or its name (matched after normalising). */
export const LabelRef = z.object({ label: z.string().min(1).max(60) });

/** `PUT …/labels/community`: the community's own labels, replaced as a whole. */
export const CommunityLabelsInput = z
  // More than 5 is 409 with the limit (checked after the names resolve), not a shape error.
  .object({ labels: z.array(z.string().min(1).max(60)).max(50) })
  .openapi("CommunityLabelsInput");

export const AppliedLabels = z
  .object({ entityType: z.enum(LABEL_ENTITY_TYPES), entityId: z.string(), labels: z.array(LabelSchema) })
  .openapi("AppliedLabels");

/** What bulk can label: members by `userId`, memories and item kinds by `entityType` + `entityId`. */
export const BULK_ENTITY_TYPES = ["user", "memory", "inventory_item"] as const;
export const BulkOperation = z
  .object({
    op: z.enum(["add", "remove"]),
    userId: z.uuid().optional(),
    entityType: z.enum(BULK_ENTITY_TYPES).optional(),
    entityId: z.string().min(1).max(80).optional(),
    label: z.string().min(1).max(60),
  })
  // One object (not a union) so zod's issues keep their field paths ("op: …").
  .refine((o) => (o.userId === undefined) !== (o.entityType === undefined && o.entityId === undefined), {
    message: "name the entity by userId, or by entityType and entityId",
    path: ["userId"],
  })
  .refine((o) => (o.entityType === undefined) === (o.entityId === undefined), {
    message: "entityType and entityId go together",
    path: ["entityId"],
  });

/**
 * The items are checked one by one after the envelope (not by this schema), so the answer can
 * list every invalid item with its index instead of zod stopping at the shape of the first.
 */
export const BulkInput = z
  .object({
    operations: z
      .array(
        z.unknown().openapi({
          type: "object",
          required: ["op", "label"],
          description: "`userId` for a member, or `entityType` (user, memory, inventory_item) + `entityId`",
          properties: {
            op: { type: "string", enum: ["add", "remove"] },
            userId: { type: "string", format: "uuid" },
            entityType: { type: "string", enum: [...BULK_ENTITY_TYPES] },
            entityId: { type: "string" },
            label: { type: "string", description: "a label id or name" },
          },
        }),
      )
      .min(1)
      .max(MAX_BULK_OPERATIONS, `at most ${MAX_BULK_OPERATIONS} operations per request`),
  })
  .openapi("LabelBulkInput");

export const BulkResult = z
  .object({ applied: z.number().int(), added: z.number().int(), removed: z.number().int() })
  .openapi("LabelBulkResult");

export const SearchQuery = z.object({
  labels: z
    .string()
    .min(1)
    .transform((s) => [...new Set(s.split(",").map(normalizeLabelName).filter(Boolean))])
    .pipe(z.array(z.string()).min(1, "name at least one label").max(10))
    // Left out: every labelled entity (browsing); given but empty is a mistake (400).
    .optional(),
  type: z.enum(["user", "module", "community", "memory", "inventory_item"]).optional(),
  match: z.enum(["any", "all"]).default("any"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

const SearchHit = z
  .object({
    entityType: z.enum(LABEL_ENTITY_TYPES),
    entityId: z.string(),
    name: z.string(),
    labels: z.array(z.string()),
  })
  .openapi("LabelSearchHit");
export const SearchPage = z
  .object({ items: z.array(SearchHit), page: z.number(), pageSize: z.number(), total: z.number() })
  .openapi("LabelSearchPage");

export const EntityGroupInput = z
  .object({
    label: z.string().min(1).max(60),
    platform: z.enum(PLATFORMS),
    roleId: z.string().trim().min(1).max(100),
  })
  .superRefine((g, ctx) => {
    // What the platform's API can address: a Discord role snowflake, a Slack user group id,
    // Twitch's two grantable channel roles (Helix has no custom roles).
    const ok =
      g.platform === "discord"
        ? /^\d{1,20}$/.test(g.roleId)
        : g.platform === "slack"
          ? /^S[A-Z0-9]{2,20}$/.test(g.roleId)
          : g.roleId === "vip" || g.roleId === "moderator";
    if (!ok) {
      const expected = {
        discord: "a role id (snowflake)",
        slack: "a user group id (S…)",
        twitch: '"vip" or "moderator"',
      };
      ctx.addIssue({ code: "custom", path: ["roleId"], message: `on ${g.platform} roleId is ${expected[g.platform]}` });
    }
  })
  .openapi("EntityGroupInput");

export const EntityGroupSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    labelId: z.string(),
    label: z.string(),
    platform: z.enum(PLATFORMS),
    roleId: z.string(),
    createdAt: z.string(),
  })
  .openapi("EntityGroup");
export const GroupParams = z.object({ communityId: z.uuid(), groupId: z.uuid() });

import { z } from "@hono/zod-openapi";

/** Schemas shared by several identity routes (request bodies live next to their route). */
export const PlatformName = z.enum(["discord", "twitch", "slack"]);

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    displayName: z.string(),
    globalRole: z.enum(["admin", "user"]),
  })
  .openapi("User");

export const IdentitySchema = z
  .object({
    platform: PlatformName,
    platformUserId: z.string(),
    username: z.string(),
    verifiedAt: z.string().nullable(),
  })
  .openapi("Identity");

export const SessionInfo = z
  .object({
    user: UserSchema,
    via: z.enum(["session", "api_key"]),
    csrfToken: z
      .string()
      .nullable()
      .openapi({ description: "Send as X-CSRF-Token on state-changing requests (sessions only)" }),
    identities: z.array(IdentitySchema),
  })
  .openapi("SessionInfo");

export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));

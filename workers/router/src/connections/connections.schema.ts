import { z } from "@hono/zod-openapi";

export const PlatformParam = z.object({
  communityId: z.uuid(),
  platform: z.enum(["discord", "twitch", "slack"]),
});

const Missing = z.object({ scope: z.string(), effect: z.string() });

export const Connection = z
  .object({
    platform: z.enum(["discord", "twitch", "slack"]),
    /** oauth: a grant is stored; linked: a link made without OAuth (the demo seed); none. */
    source: z.enum(["oauth", "linked", "none"]),
    accountId: z.string().nullable(),
    accountName: z.string().nullable(),
    accountLogin: z.string().nullable(),
    status: z.enum(["active", "revoked", "error", "linked", "not_connected"]),
    statusDetail: z.string().nullable(),
    scopes: z.array(z.string()),
    missing: z.array(Missing),
    /** Plain sentences for the portal: what does not work and why. */
    problems: z.array(z.string()),
    tokenExpiresAt: z.string().nullable(),
    lastEventAt: z.string().nullable(),
    connectedAt: z.string().nullable(),
    subscriptions: z.array(z.object({ type: z.string(), status: z.string() })),
  })
  .openapi("Connection");

export const BotStatus = z
  .object({
    authorised: z.boolean(),
    userId: z.string().nullable(),
    login: z.string().nullable(),
    status: z.string().nullable(),
    scopes: z.array(z.string()),
    missing: z.array(Missing),
  })
  .openapi("TwitchBotStatus");

export const AuthorizeUrl = z.object({ authorizeUrl: z.url() });

export const TestBody = z.object({
  channelId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .describe("Discord channel or Slack channel id; Twitch always posts in the broadcaster's chat"),
  text: z.string().min(1).max(400).optional(),
});

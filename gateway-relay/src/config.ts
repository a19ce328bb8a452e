import { hostname } from "node:os";
import * as z from "zod";

/**
 * The relay's settings, from the environment (README "Configuration"). Parsed once at start:
 * a missing secret stops the process with a clear message instead of a relay that every
 * request refuses.
 */
const ConfigSchema = z.object({
  RELAY_WEBHOOKS_URL: z.url().default("http://127.0.0.1:8788"),
  RELAY_SHARED_SECRET: z.string().min(16, "RELAY_SHARED_SECRET must be set (at least 16 characters)"),
  DISCORD_BOT_TOKEN: z.string().optional(),
  /** Override of the gateway address Discord's GET /gateway/bot gives (tests: the fake gateway). */
  DISCORD_GATEWAY_URL: z.url().optional(),
  DISCORD_API_BASE: z.url().default("https://discord.com/api/v10"),
  /** irc://host:port (plain TCP) or ircs://host:port; default Twitch's TLS endpoint. */
  TWITCH_IRC_URL: z.string().default("ircs://irc.chat.twitch.tv:6697"),
  /** The Twitch application's client id (chat as the bot account needs it with the token). */
  TWITCH_CLIENT_ID: z.string().optional(),
  /** Twitch's JOIN limit tier for the bot account (none: 20 joins / 10 s, verified: 2000). */
  TWITCH_BOT_LEVEL: z.enum(["none", "known", "verified"]).default("none"),
  RELAY_PORT: z.coerce.number().int().min(0).max(65535).default(8790),
  RELAY_HOST: z.string().default("0.0.0.0"),
  /** Events kept while the webhooks worker is unreachable; the oldest go first when full. */
  RELAY_BUFFER_SIZE: z.coerce.number().int().positive().default(10_000),
  RELAY_COPY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
});

export type RelayConfig = ReturnType<typeof readConfig>;

export function readConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) throw new Error(`gateway-relay settings: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const irc = new URL(c.TWITCH_IRC_URL);
  if (irc.protocol !== "irc:" && irc.protocol !== "ircs:") throw new Error("TWITCH_IRC_URL must be irc:// or ircs://");
  return {
    webhooksUrl: c.RELAY_WEBHOOKS_URL.replace(/\/+$/, ""),
    secret: c.RELAY_SHARED_SECRET,
    discordToken: c.DISCORD_BOT_TOKEN,
    discordGatewayUrl: c.DISCORD_GATEWAY_URL,
    discordApiBase: c.DISCORD_API_BASE.replace(/\/+$/, ""),
    irc: {
      host: irc.hostname,
      port: Number(irc.port) || (irc.protocol === "ircs:" ? 6697 : 6667),
      ssl: irc.protocol === "ircs:",
    },
    twitchBotLevel: c.TWITCH_BOT_LEVEL,
    twitchClientId: c.TWITCH_CLIENT_ID,
    port: c.RELAY_PORT,
    host: c.RELAY_HOST,
    bufferSize: c.RELAY_BUFFER_SIZE,
    copyId:
      c.RELAY_COPY_ID ??
      `${hostname()
        .replace(/[^A-Za-z0-9._-]/g, "-")
        .slice(0, 40)}-${crypto.randomUUID().slice(0, 8)}`,
  };
}

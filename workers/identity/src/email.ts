import { LogLevel, WorkerMailer } from "worker-mailer";
import { isLocal } from "../../../lib/config.ts";
import { createDb } from "../../../lib/db/client.ts";
import { devMailbox } from "../../../lib/db/schema/index.ts";
import { ServiceUnavailable } from "../../../lib/http/errors.ts";
import { ErrorEnvelope } from "../../../lib/http/openapi.ts";
import type { Env } from "./env.ts";

interface EmailMessage {
  to: string;
  subject: string;
  /** The whole message; it may carry a secret link, so it is never logged. */
  text: string;
}

/**
 * The one way the identity worker sends email (password resets, invites). A sender delivers
 * a message or throws; nothing logs a message's text, because reset and invite links are
 * bearer secrets: whoever reads a log line with one can take over the account.
 */
interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/**
 * Local development and tests (`WADDLEBOT_ENV=local`): mail goes to the `dev_mailbox` table,
 * which a developer reads at GET /api/v1/auth/dev/mailbox (local only) and tests read directly.
 */
function devMailboxSender(d1: D1Database): EmailSender {
  return {
    async send(message) {
      await createDb(d1).insert(devMailbox).values({ to: message.to, subject: message.subject, text: message.text });
    },
  };
}

/**
 * SMTP (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM) over `cloudflare:sockets`
 * with `worker-mailer`: implicit TLS on port 465, STARTTLS elsewhere when the server offers it.
 * Its own logging is off: at debug level it would print the message, link included.
 */
function smtpSender(env: Env): EmailSender {
  const port = Number(env.SMTP_PORT) || 587;
  return {
    async send(message) {
      await WorkerMailer.send(
        {
          host: env.SMTP_HOST!,
          port,
          secure: port === 465,
          startTls: true,
          ...(env.SMTP_USER ? { credentials: { username: env.SMTP_USER, password: env.SMTP_PASSWORD ?? "" } } : {}),
          authType: ["plain", "login"],
          logLevel: LogLevel.NONE,
          socketTimeoutMs: 10_000,
        },
        { from: parseFrom(mailFrom(env)!), to: message.to, subject: message.subject, text: message.text },
      );
    },
  };
}

/** SMTP_FROM, the name; EMAIL_FROM, the name this setting had first, still read. */
function mailFrom(env: Env): string | undefined {
  return env.SMTP_FROM || env.EMAIL_FROM || undefined;
}

/** "WaddleBot <bot@example.com>" → name and address; a bare address stays one. */
function parseFrom(from: string): { name?: string; email: string } {
  const m = from.match(/^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/);
  return m ? { ...(m[1] ? { name: m[1].replace(/^"|"$/g, "") } : {}), email: m[2]! } : { email: from.trim() };
}

/**
 * The sender for this worker, or null when none is configured: SMTP when SMTP_HOST and
 * SMTP_FROM (or EMAIL_FROM) are set (locally too); otherwise the dev mailbox locally, and nothing on a
 * deployed worker, which then answers 503 instead of pretending a message went out.
 */
export function emailSender(env: Env): EmailSender | null {
  if (env.SMTP_HOST && mailFrom(env)) return smtpSender(env);
  return isLocal(env) ? devMailboxSender(env.DB) : null;
}

/** The sender, or a 503 "email is not configured" before anything is written or looked up. */
export function requireEmailSender(env: Env): EmailSender {
  const sender = emailSender(env);
  if (!sender) throw new ServiceUnavailable("email is not configured");
  return sender;
}

/** The 503 answer for route declarations of routes that send email. */
export const emailUnavailableResponse = {
  503: {
    description: "Email is not configured on this deployment",
    content: { "application/json": { schema: ErrorEnvelope } },
  },
};

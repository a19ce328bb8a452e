import { log } from "../../../lib/log.ts";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the message is about (what the log stand-in prints). */
  link?: string;
}

/** How the identity worker sends email. Production plugs in a provider (Cloudflare Email, an SMTP relay API). */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/**
 * The local stand-in: writes the recipient, subject and link to the log, nothing else. The
 * link is the secret a developer needs to finish a reset locally; no other secret is logged.
 */
export const logEmailSender: EmailSender = {
  async send(message) {
    log.info("email (log sender)", { to: message.to, subject: message.subject, link: message.link ?? null });
  },
};

let override: EmailSender | null = null;

/** Test-only: capture outgoing email instead of logging it (null restores the default). */
export function setEmailSenderForTests(sender: EmailSender | null): void {
  override = sender;
}

export function emailSender(): EmailSender {
  return override ?? logEmailSender;
}

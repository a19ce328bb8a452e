/**
 * Chat command parsing: `!name args` (built-ins and hosted modules) or `#name args` (the
 * community's serverless modules). Names are case-insensitive; arguments split on spaces
 * with "double" or 'single' quotes grouping words (`!so "two words"`).
 */
export type CommandPrefix = "!" | "#";

export interface ParsedCommand {
  prefix: CommandPrefix;
  /** Lowercase. */
  name: string;
  args: string[];
  /** Everything after the name, as typed (trimmed). */
  rawArgs: string;
}

/** Limits: a longer line is not a command; extra arguments are dropped. */
export const MAX_COMMAND_TEXT = 500;
export const MAX_ARGS = 20;
export const COMMAND_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The command in a chat line, or null when the line is not one (quietly: chat is mostly not commands). */
export function parseCommand(text: string | undefined): ParsedCommand | null {
  if (!text) return null;
  const line = text.trim();
  const prefix = line[0];
  if ((prefix !== "!" && prefix !== "#") || line.length > MAX_COMMAND_TEXT) return null;
  const space = line.search(/\s/);
  const name = (space === -1 ? line.slice(1) : line.slice(1, space)).toLowerCase();
  if (!COMMAND_NAME.test(name)) return null;
  const rawArgs = space === -1 ? "" : line.slice(space + 1).trim();
  return { prefix, name, args: splitArgs(rawArgs), rawArgs };
}

/** Splits arguments, honouring quotes; an unclosed quote runs to the end of the line. */
export function splitArgs(raw: string): string[] {
  const args: string[] = [];
  let current = "";
  let quote: '"' | "'" | null = null;
  let started = false;
  for (const ch of raw) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
      started = true;
    }
    if (args.length >= MAX_ARGS) return args;
  }
  if (started) args.push(current);
  return args.slice(0, MAX_ARGS);
}

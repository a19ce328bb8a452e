/**
 * The synthetic identity namespace of simulated events (the admin API's "try it" endpoint).
 *
 * A simulated chat user's id is `sim:<portal user id>[:<label>]`. No platform issues ids
 * like that (Discord and Twitch ids are digits, Slack's are `U…`/`W…` in upper case), so a
 * simulated user can never be mistaken for, or linked to, a real platform account. Every
 * identity entry (chat linking, platform-user creation, the ChatEvent schema that platform
 * ingress goes through) refuses ids in this namespace.
 */
const SIMULATED_USER_PREFIX = "sim:";

/** A label names one of several simulated users of the same portal user ("alice", "viewer-2"). */
export const SIMULATED_LABEL = /^[A-Za-z0-9_-]{1,20}$/;

declare const simulatedBrand: unique symbol;
/** A user id in the simulated namespace (only `simulatedUserId` makes one). */
export type SimulatedUserId = string & { readonly [simulatedBrand]: true };

/** The synthetic user id of a portal user trying the bot (optionally one of their labelled users). */
export function simulatedUserId(portalUserId: string, label?: string): SimulatedUserId {
  if (label !== undefined && !SIMULATED_LABEL.test(label)) throw new Error("invalid simulated user label");
  return `${SIMULATED_USER_PREFIX}${portalUserId}${label ? `:${label}` : ""}` as SimulatedUserId;
}

/**
 * Is this id in the simulated namespace? Case-insensitive and ignoring surrounding space, so
 * `SIM:x` or ` sim:x` cannot slip past a check that a later normalisation would undo.
 */
export const isSimulatedUserId = (id: string): boolean => id.trim().toLowerCase().startsWith(SIMULATED_USER_PREFIX);

/** The answer every identity entry gives a simulated account. */
export const SIMULATED_IDENTITY_REFUSAL = "Simulated users cannot link, verify or own accounts.";

/**
 * Fresh platform ids of the platforms' own shapes, for tests. Fixed width on purpose: a Discord
 * snowflake is 17–20 digits (lib/platforms/ids.ts refuses anything else), so an id built from
 * `Date.now()` plus an unpadded random number is sometimes too short and a test fails by chance.
 */
const digits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, "0");

/** An 18-digit Discord snowflake, unique per call in practice. */
export const snowflake = () => `${Date.now()}${digits(5)}`;

/** A numeric Twitch user id. */
export const twitchId = () => `${1 + Math.floor(Math.random() * 9)}${digits(10)}`;

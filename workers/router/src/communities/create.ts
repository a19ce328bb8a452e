import type { Principal } from "../../../../lib/auth/permissions.ts";
import { isLocal, type RuntimeConfig } from "../../../../lib/config.ts";

/** Who may create a community (`COMMUNITY_CREATION`): the instance owner alone, or any signed-in user. */
const COMMUNITY_CREATION_MODES = ["owner-only", "any-user"] as const;
type CommunityCreation = (typeof COMMUNITY_CREATION_MODES)[number];

export interface CommunityCreationConfig extends RuntimeConfig {
  /** `owner-only` (default) or `any-user`. */
  COMMUNITY_CREATION?: string;
}

/**
 * The configured mode. A value that is neither mode is a typo: locally it throws (so it is seen),
 * deployed it falls back to the strict `owner-only` instead of opening creation to everyone.
 */
function communityCreation(env: CommunityCreationConfig): CommunityCreation {
  const value = env.COMMUNITY_CREATION?.trim() || "owner-only";
  if ((COMMUNITY_CREATION_MODES as readonly string[]).includes(value)) return value as CommunityCreation;
  if (isLocal(env)) throw new Error(`COMMUNITY_CREATION must be owner-only or any-user, not "${value}"`);
  return "owner-only";
}

/**
 * May this caller create a community? A service account never (communities belong to people);
 * the instance owner always; anyone else only with `any-user`. The route's scope check
 * (`communities:create`) ran before this, in the route kit.
 */
export function mayCreateCommunity(env: CommunityCreationConfig, principal: Principal): boolean {
  if (principal.serviceRole) return false;
  if (principal.instanceOwner) return true;
  return communityCreation(env) === "any-user";
}

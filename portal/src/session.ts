import { createContext, useContext } from "react";
import { PERMISSIONS, type Permission, ROLE_RANK } from "../../lib/auth/permissions.ts";
import type { Schemas } from "./api/client.ts";

/**
 * Who is signed in, in which community, and what they may do there. The permission table is
 * the API's own (lib/auth/permissions.ts), so the portal hides exactly what the API refuses.
 */
export interface Session {
  me: Schemas["SessionInfo"];
  communities: Schemas["Community"][];
  community: Schemas["Community"] | null;
  setCommunity(id: string): void;
  signOut(): Promise<void>;
}

/** Community roles, lowest first (the members list and the invite form offer the same). */
export const ROLES = ["member", "moderator", "admin", "owner"] as const satisfies readonly (keyof typeof ROLE_RANK)[];

/** Where the selected community is remembered (the invite page selects the one just joined). */
export const COMMUNITY_KEY = "waddlebot.community";

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the signed-in app");
  return session;
}

/** The rule `authorize` applies: global admins may do anything, others by their community role. */
export function can(session: Pick<Session, "me" | "community">, permission: Permission): boolean {
  if (session.me.user.globalRole === "admin") return true;
  const role = session.community?.role as keyof typeof ROLE_RANK | null | undefined;
  if (!role || !(role in ROLE_RANK)) return false;
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission]];
}

/** The community id of the session (pages only render with one chosen). */
export const useCommunityId = () => useSession().community!.id;

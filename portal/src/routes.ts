import { type ComponentType, lazy, useEffect, useState } from "react";
import type { Permission } from "../../lib/auth/permissions.ts";
import { MODULE_PAGES } from "./pages/modules/list.ts";

/** The portal's pages: hash routes (#/commands), each with the permission that shows it. */
interface PageDef {
  path: string;
  title: string;
  /** null: any signed-in user (API keys are per user). */
  permission: Permission | null;
  component: ComponentType;
  /** false: not listed in the navigation (linked from elsewhere). */
  inNav?: false;
}

export const PAGES: PageDef[] = [
  {
    path: "dashboard",
    title: "Dashboard",
    permission: "executions:read",
    component: lazy(() => import("./pages/Dashboard.tsx")),
  },
  {
    path: "commands",
    title: "Commands",
    permission: "commands:read",
    component: lazy(() => import("./pages/Commands.tsx")),
  },
  {
    path: "moderation",
    title: "Moderation",
    permission: "moderation:read",
    component: lazy(() => import("./pages/Moderation.tsx")),
  },
  {
    path: "cooldowns",
    title: "Cooldowns",
    permission: "cooldowns:read",
    component: lazy(() => import("./pages/Cooldowns.tsx")),
  },
  {
    path: "executions",
    title: "Executions",
    permission: "executions:read",
    component: lazy(() => import("./pages/Executions.tsx")),
  },
  {
    path: "members",
    title: "Members",
    permission: "members:read",
    component: lazy(() => import("./pages/Members.tsx")),
  },
  {
    path: "labels",
    title: "Labels",
    permission: "labels:read",
    component: lazy(() => import("./pages/Labels.tsx")),
  },
  {
    path: "overlays",
    title: "Overlays",
    permission: "overlays:read",
    component: lazy(() => import("./pages/Overlays.tsx")),
  },
  {
    path: "marketplace",
    title: "Marketplace",
    permission: null,
    component: lazy(() => import("./pages/Marketplace.tsx")),
  },
  {
    path: "installed",
    title: "Installed modules",
    permission: "modules:read",
    component: lazy(() => import("./pages/Installed.tsx")),
  },
  {
    path: "module-data",
    title: "Module data",
    permission: "modules:read",
    component: lazy(() => import("./pages/ModuleData.tsx")),
  },
  // One page per first-party module with settings or content, linked from Module data.
  ...MODULE_PAGES.map(({ path, title, load }) => ({
    path,
    title,
    permission: "modules:read" as const,
    inNav: false as const,
    component: lazy(load),
  })),
  {
    path: "calendar",
    title: "Calendar",
    permission: "modules:read",
    component: lazy(() => import("./pages/Calendar.tsx")),
  },
  {
    path: "music",
    title: "Music",
    permission: "modules:read",
    component: lazy(() => import("./pages/Music.tsx")),
  },
  { path: "author", title: "My modules", permission: null, component: lazy(() => import("./pages/Author.tsx")) },
  {
    path: "workflows",
    title: "Workflows",
    permission: "workflows:read",
    component: lazy(() => import("./pages/Workflows.tsx")),
  },
  { path: "keys", title: "API keys", permission: null, component: lazy(() => import("./pages/ApiKeys.tsx")) },
  // Reached from the signed-in name in the top bar, where people look for their account.
  {
    path: "account",
    title: "My account",
    permission: null,
    inNav: false,
    component: lazy(() => import("./pages/Account.tsx")),
  },
  // Reached from "New community" beside the community switcher.
  {
    path: "new-community",
    title: "New community",
    permission: null,
    inNav: false,
    component: lazy(() => import("./pages/NewCommunity.tsx")),
  },
  { path: "audit", title: "Audit trail", permission: "audit:read", component: lazy(() => import("./pages/Audit.tsx")) },
  {
    path: "platforms",
    title: "Platforms",
    permission: "platforms:read",
    component: lazy(() => import("./pages/Platforms.tsx")),
  },
];

const current = () => window.location.hash.replace(/^#\/?/, "").split("?")[0] || "dashboard";

/** The current hash route, updated on navigation. */
export function useRoute(): string {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

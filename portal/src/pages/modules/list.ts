/**
 * The first-party module pages, in the order they are linked: the one list the router
 * (routes.ts) and the links between the pages (ModuleLinks) are both made from.
 */
export const MODULE_PAGES = [
  { path: "module-quotes", title: "Quotes", load: () => import("./Quotes.tsx") },
  { path: "module-inventory", title: "Inventory", load: () => import("./Inventory.tsx") },
  { path: "module-counters", title: "Counters", load: () => import("./Counters.tsx") },
  { path: "module-timers", title: "Timers", load: () => import("./Timers.tsx") },
  { path: "module-giveaways", title: "Giveaways", load: () => import("./Giveaways.tsx") },
  { path: "module-loyalty", title: "Loyalty", load: () => import("./Loyalty.tsx") },
  { path: "module-ai", title: "AI chat", load: () => import("./AiSettings.tsx") },
] as const;

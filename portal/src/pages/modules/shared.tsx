/** What the first-party module pages share: the data, who may change it, the installation. */
import { api } from "../../api/client.ts";
import { useAsync } from "../../components/ui.tsx";
import { can, useCommunityId, useSession } from "../../session.ts";
import { MODULE_PAGES } from "./list.ts";

/** The community's first-party module data (one read for every page). */
export function useModuleContent() {
  const communityId = useCommunityId();
  const content = useAsync(
    () => api.get("/api/v1/communities/{communityId}/first-party/content", { path: { communityId } }),
    [communityId],
  );
  return { communityId, content };
}

/** Admins change module data (modules:write); moderators read it, as the API checks. */
export const useWritable = () => can(useSession(), "modules:write");

/** One installed module (its settings and versions), or null when it is not installed. */
export function useInstallation(module: string) {
  const communityId = useCommunityId();
  return useAsync(async () => {
    const all = await api.get("/api/v1/communities/{communityId}/installations", { path: { communityId } });
    return all.find((i) => i.module === module) ?? null;
  }, [communityId, module]);
}

/** The module pages, linked from each other and from Module data. */
export const ModuleLinks = ({ current }: { current?: string }) => (
  <nav className="module-links" aria-label="Module pages">
    <ul>
      {MODULE_PAGES.map(({ path, title }) => (
        <li key={path}>
          <a href={`#/${path}`} aria-current={current === path ? "page" : undefined}>
            {title}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

/** A quote's or item's Labels Core names as read-only chips (labels change in chat or on Labels). */
export const LabelChips = ({ names, of }: { names: string[]; of: string }) =>
  names.length === 0 ? null : (
    <ul className="chips" aria-label={`Labels of ${of}`}>
      {names.map((n) => (
        <li key={n}>
          <span className="badge">{n}</span>
        </li>
      ))}
    </ul>
  );

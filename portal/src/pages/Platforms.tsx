import { Empty, Page } from "../components/ui.tsx";
import { useSession } from "../session.ts";

const WHAT = {
  discord: "Discord server (guild)",
  twitch: "Twitch channel (broadcaster)",
  slack: "Slack workspace (team)",
} as const;

/** Which Discord guild, Twitch channel and Slack team the community is linked to, and their status. */
export default function Platforms() {
  const { community } = useSession();
  const links = community?.platforms ?? [];
  return (
    <Page title="Platforms">
      {links.length === 0 ? (
        <Empty>This community is not linked to any platform yet.</Empty>
      ) : (
        <ul className="platforms">
          {(["discord", "twitch", "slack"] as const).map((p) => {
            const link = links.find((l) => l.platform === p);
            return (
              <li key={p} className={`card platform-${p}`} data-platform={p}>
                <h2>{WHAT[p]}</h2>
                {link ? (
                  <>
                    <p>
                      {link.displayName ?? "(no name)"} <code>{link.platformId}</code>
                    </p>
                    <p>
                      Status: <span className={`badge status-${link.status}`}>{link.status}</span>
                    </p>
                  </>
                ) : (
                  <p className="muted">Not linked.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}

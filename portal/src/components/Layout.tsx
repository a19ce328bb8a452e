import { Suspense, useState } from "react";
import { PAGES, useRoute } from "../routes.ts";
import { can, useSession } from "../session.ts";
import { Empty, Spinner } from "./ui.tsx";

/** Navigation (only the pages the role allows), community switcher, sign-out, the page. */
export function Layout() {
  const session = useSession();
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const allowed = PAGES.filter((p) => p.permission === null || (session.community && can(session, p.permission)));
  const page = allowed.find((p) => p.path === route);
  const exists = PAGES.some((p) => p.path === route);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle secondary"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span className="brand">WaddleBot</span>
        {session.communities.length > 0 && (
          <label className="switcher">
            <span className="visually-hidden">Community</span>
            <select
              aria-label="Community"
              value={session.community?.id ?? ""}
              onChange={(e) => session.setCommunity(e.target.value)}
            >
              {session.communities.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.demo ? " [demo]" : ""}
                  {c.role ? ` (${c.role})` : ""}
                </option>
              ))}
            </select>
          </label>
        )}
        <a
          className="button secondary"
          href="#/new-community"
          aria-current={route === "new-community" ? "page" : undefined}
        >
          New community
        </a>
        <a className="who" href="#/account" aria-current={route === "account" ? "page" : undefined}>
          {session.me.user.displayName}
          <span className="visually-hidden"> (my account)</span>
        </a>
        <button type="button" className="secondary" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <nav id="nav" className={menuOpen ? "open" : ""} aria-label="Pages">
        <ul>
          {allowed
            .filter((p) => p.inNav !== false)
            .map((p) => (
              <li key={p.path}>
                <a
                  href={`#/${p.path}`}
                  aria-current={p.path === page?.path ? "page" : undefined}
                  onClick={() => setMenuOpen(false)}
                >
                  {p.title}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {session.community?.demo && (
          <p className="notice" role="note" data-testid="demo-banner">
            Demo community: seeded by <code>npm start</code> with the DEMO_* platform ids, for trying WaddleBot locally.
          </p>
        )}
        {!session.community && page?.permission !== null ? (
          <Empty>
            You are not in any community yet. <a href="#/new-community">Create one</a> (if this instance lets you), ask
            a community owner to add you, or manage your <a href="#/keys">API keys</a> and{" "}
            <a href="#/account">account</a>.
          </Empty>
        ) : page ? (
          <Suspense fallback={<Spinner />}>
            <page.component />
          </Suspense>
        ) : (
          <div className="error" role="alert" data-testid="forbidden">
            {exists ? "Your role in this community does not allow this page." : "No such page."}{" "}
            <a href="#/dashboard">Back to the dashboard</a>
          </div>
        )}
      </main>
    </div>
  );
}

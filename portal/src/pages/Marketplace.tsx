import { useState } from "react";
import { api } from "../api/client.ts";
import { Empty, Loaded, Page, useAsync } from "../components/ui.tsx";
import { MarketplaceModule } from "./MarketplaceModule.tsx";

/** The marketplace: search and filter modules, open one to see versions and reviews and install it. */
export default function Marketplace() {
  const [q, setQ] = useState("");
  const [category, setCategory] = useState("");
  const [label, setLabel] = useState("");
  const [sort, setSort] = useState<"name" | "rating" | "installs" | "newest">("name");
  const [open, setOpen] = useState<string | null>(null);
  const list = useAsync(
    () => api.get("/api/v1/marketplace/modules", { query: { q, category, label, sort } }),
    [q, category, label, sort],
  );
  if (open) return <MarketplaceModule name={open} onBack={() => setOpen(null)} />;
  return (
    <Page title="Marketplace">
      <div className="filters">
        <label className="search">
          Search
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="name, command, label" />
        </label>
        <label>
          Category
          <input value={category} onChange={(e) => setCategory(e.target.value)} placeholder="e.g. games" />
        </label>
        <label>
          Label
          <input value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          Sort
          <select value={sort} onChange={(e) => setSort(e.target.value as typeof sort)}>
            <option value="name">Name</option>
            <option value="rating">Rating</option>
            <option value="installs">Installs</option>
            <option value="newest">Newest</option>
          </select>
        </label>
      </div>
      <Loaded state={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No module matches.</Empty>
          ) : (
            <ul className="cards modules">
              {page.items.map((m) => (
                <li key={m.name} className="card" data-module={m.name}>
                  <h2>{m.displayName}</h2>
                  <p className="muted">
                    {m.name} {m.latestVersion} · {m.installs} install{m.installs === 1 ? "" : "s"} ·{" "}
                    {m.rating === null ? "no reviews" : `★ ${m.rating} (${m.reviews})`}
                  </p>
                  <p>{m.description}</p>
                  <p className="tags">
                    {m.categories.map((c) => (
                      <button key={c} type="button" className="tag" onClick={() => setCategory(c)}>
                        {c}
                      </button>
                    ))}
                    {m.labels.map((l) => (
                      <button key={l} type="button" className="tag label" onClick={() => setLabel(l)}>
                        #{l}
                      </button>
                    ))}
                  </p>
                  <button type="button" onClick={() => setOpen(m.name)}>
                    Details<span className="visually-hidden"> of {m.displayName}</span>
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Page>
  );
}

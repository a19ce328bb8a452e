import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The admin portal: a single-page app built into portal/dist, which the router worker serves
 * as static assets (see [assets] in the root wrangler.toml). `vite` (dev server) proxies the
 * API and overlays to a locally running router so the portal keeps one origin (cookies, CSRF).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { "/api": "http://127.0.0.1:8787", "/overlay": { target: "http://127.0.0.1:8787", ws: true } },
  },
});

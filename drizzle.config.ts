import { defineConfig } from "drizzle-kit";

// drizzle-kit generates flat SQL files that wrangler and readD1Migrations both read.
export default defineConfig({
  dialect: "sqlite",
  schema: "./lib/db/schema/index.ts",
  out: "./migrations",
});

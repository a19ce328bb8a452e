import { Hono } from "hono";
import { MethodNotAllowed } from "../../../lib/http/errors.ts";
import type { AppEnv } from "./env.ts";

/** A resource app whose paths answer 405 (with Allow: POST) to anything but POST. */
export function postOnly(...paths: string[]) {
  const app = new Hono<AppEnv>();
  for (const path of paths) {
    app.on(["GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], path, () => {
      throw new MethodNotAllowed(["POST"]);
    });
  }
  return app;
}

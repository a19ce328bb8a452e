import { apiBodyLimit } from "../../../lib/http/body-limit.ts";

/**
 * The router's API body caps: 64 KiB for everything (commands, rules, modules, settings are
 * small) except the two routes whose documented inputs are bigger:
 * - the event batch (events/batch.routes.ts): up to 100 ChatEvents of up to 4,000 characters of text each;
 * - overlay messages: a now-playing card may carry its album art as a data: URL of up to
 *   64 KiB (plus JSON around it), and general HTML up to 16 KiB;
 * - label bulk operations: up to 1,000 items of ~150 bytes (a uuid and a label name each).
 */
export const routerBodyLimit = apiBodyLimit([
  { path: /^\/api\/v1\/events\/batch$/, maxBytes: 1024 * 1024 },
  { path: /^\/api\/v1\/communities\/[^/]+\/overlays\/[^/]+\/messages$/, maxBytes: 128 * 1024 },
  { path: /^\/api\/v1\/communities\/[^/]+\/labels\/bulk$/, maxBytes: 256 * 1024 },
]);

import { BadRequest, PayloadTooLarge } from "./errors.ts";

/**
 * Reads a request body up to `limitBytes`, refusing with 413 before reading it all: first by
 * the declared Content-Length, then by counting the bytes actually streamed (a sender may
 * lie about, or omit, the length). Platforms sign the raw bytes, so the raw text is returned.
 */
export async function readLimitedBody(request: Request, limitBytes: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    const n = Number(declared);
    if (!Number.isFinite(n) || n < 0) throw new BadRequest("Invalid Content-Length");
    if (n > limitBytes) throw new PayloadTooLarge(limitBytes);
  }
  const bytes = await readStreamCapped(request.body, limitBytes, () => new PayloadTooLarge(limitBytes));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new BadRequest("Body is not valid UTF-8");
  }
}

/**
 * Reads a byte stream to its end, chunk by chunk, and stops as soon as it passes `maxBytes`
 * (the stream is cancelled and `tooLarge()` thrown): nothing larger is ever buffered. One
 * reader for request bodies (413) and for answers of community-controlled URLs (lib/outbound).
 */
export async function readStreamCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

/** JSON.parse that answers 400 instead of throwing a SyntaxError (a 500). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest("Malformed JSON body");
  }
}

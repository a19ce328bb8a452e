/**
 * A request body with no Content-Length, streamed in 8 KiB chunks the way a chunked upload
 * arrives: size checks must count the bytes, not trust a header. Pass with `duplex: "half"`.
 */
export function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const step = 8 * 1024;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + step));
      offset += step;
    },
  });
}

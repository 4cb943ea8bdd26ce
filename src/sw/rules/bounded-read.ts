/**
 * A body read to its end, but never past a byte limit: the one loop behind the worker's limits on
 * OAuth documents (net.ts) and on MCP answers (response-limit.ts, late-answer.ts), and the page's
 * on the MCP answers it reads itself (app/limited-fetch.ts). Counted as the bytes arrive
 * (decoded), so a compressed body cannot slip past its declared length.
 */

/**
 * The chunks read, or `undefined` once more than `max` bytes came (the reader is then cancelled).
 * With `keep` false only the count matters: the chunks are dropped as they come, and none returned.
 */
export async function readAtMost(reader: ReadableStreamDefaultReader<Uint8Array>, max: number, keep = true): Promise<Uint8Array<ArrayBuffer>[] | undefined> {
  // Chunks from fetch are never shared memory.
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => {});
      return undefined;
    }
    if (keep) chunks.push(value as Uint8Array<ArrayBuffer>);
  }
}

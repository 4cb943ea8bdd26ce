/**
 * A body read to its end, but never past a byte limit: the one loop behind the worker's limits on
 * OAuth documents (net.ts) and on MCP answers (response-limit.ts, late-answer.ts), and the page's
 * on the MCP answers it reads itself (app/limited-fetch.ts). Counted as the bytes arrive
 * (decoded), so a compressed body cannot slip past its declared length.
 */

/**
 * The chunks read, or `undefined` once more than `max` bytes came (the reader is then cancelled).
 */
export async function readAtMost(reader: ReadableStreamDefaultReader<Uint8Array>, max: number): Promise<Uint8Array<ArrayBuffer>[] | undefined> {
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
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
}

/** `chunks` as one array of its own. */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    whole.set(c, at);
    at += c.byteLength;
  }
  return whole;
}

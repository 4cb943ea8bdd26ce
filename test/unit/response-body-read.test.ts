import { describe, expect, it } from 'vitest';
import { bodyReadWhole, limitResponse } from '../../src/sw/response-limit.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: ArrayBuffer | undefined) => (b ? new TextDecoder().decode(b) : b);
/** A body of undeclared length, in the given chunks. */
const chunked = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(enc(p));
      c.close();
    },
  });
const json = (body: BodyInit) => new Response(body, { headers: { 'content-type': 'application/json' } });

describe('bodyReadWhole (the port transport sends what limitResponse read, without reading again)', () => {
  it('gives the bytes of a body read in one chunk', async () => {
    const limited = await limitResponse(json(chunked('{"a":1}')), () => {}, 'buffer', 100);
    expect(dec(bodyReadWhole(limited))).toBe('{"a":1}');
  });
  it('joins a body read in several chunks into one buffer', async () => {
    const limited = await limitResponse(json(chunked('{"a":', '1', '}')), () => {}, 'buffer', 100);
    expect(dec(bodyReadWhole(limited))).toBe('{"a":1}');
  });
  it('gives a copy when the chunk is a view into a larger buffer', async () => {
    const big = enc('xx{"a":1}yy');
    const view = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(big.subarray(2, 9));
        c.close();
      },
    });
    const buffer = bodyReadWhole(await limitResponse(json(view), () => {}, 'buffer', 100));
    expect(dec(buffer)).toBe('{"a":1}');
    expect(buffer).not.toBe(big.buffer);
  });
  it('leaves the Response readable once its buffer is taken and transferred', async () => {
    const limited = await limitResponse(json(chunked('{"a":1}')), () => {}, 'buffer', 100);
    const buffer = bodyReadWhole(limited)!;
    const { port1 } = new MessageChannel();
    port1.postMessage(buffer, [buffer]);
    port1.close();
    expect(buffer.byteLength).toBe(0);
    expect(await limited.text()).toBe('{"a":1}');
  });
  it('has nothing for a body over the limit, an event stream, or a response it did not read', async () => {
    expect(bodyReadWhole(await limitResponse(json(chunked('x'.repeat(20))), () => {}, 'buffer', 10))).toBeUndefined();
    const events = new Response(chunked('data: 1\n\n'), { headers: { 'content-type': 'text/event-stream' } });
    expect(bodyReadWhole(await limitResponse(events, () => {}, 'buffer', 10))).toBeUndefined();
    expect(bodyReadWhole(json('{}'))).toBeUndefined();
  });
  it('gives the buffer once', async () => {
    const limited = await limitResponse(json(chunked('{}')), () => {}, 'buffer', 100);
    expect(bodyReadWhole(limited)).toBeDefined();
    expect(bodyReadWhole(limited)).toBeUndefined();
  });
});

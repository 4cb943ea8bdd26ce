import { describe, expect, it } from 'vitest';
import { declaredWithin, eventSizeCounter, limitResponse } from '../../src/sw/response-limit.ts';

const json = (body: BodyInit, headers: Record<string, string> = {}) => new Response(body, { headers: { 'content-type': 'application/json', ...headers } });
const enc = (s: string) => new TextEncoder().encode(s);
/** A body of undeclared length, in the given chunks. */
const chunked = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(enc(p));
      c.close();
    },
  });

describe('declaredWithin', () => {
  it('takes a Content-Length at or under the limit', () => {
    expect(declaredWithin(json('{}', { 'content-length': '2' }), 2)).toBe(true);
    expect(declaredWithin(json('{}', { 'content-length': '0' }), 2)).toBe(true);
  });
  it('refuses a length over the limit, an absent one and anything not a plain number', () => {
    expect(declaredWithin(json('{}', { 'content-length': '3' }), 2)).toBe(false);
    expect(declaredWithin(json('{}'), 2)).toBe(false);
    for (const v of ['-1', '1e3', '0x10', '2, 2', ' ', '99999999999999999']) expect(declaredWithin(json('{}', { 'content-length': v }), 2 ** 60), v).toBe(false);
  });
});

describe('limitResponse', () => {
  it('counts a body whose declared length is within the limit (the encoded length: a compressed body decodes larger)', async () => {
    let told = '';
    const limited = await limitResponse(json(chunked('x'.repeat(8), 'x'.repeat(8)), { 'content-length': '5' }), (m) => (told = m), 'buffer', 10);
    await expect(limited.text()).rejects.toThrow(/larger than 10 bytes/);
    expect(told).toMatch(/answer is larger than 10 bytes/);
  });
  it('reads a body of undeclared length whole, keeping status and headers', async () => {
    const res = new Response(chunked('{"a":', '1}'), { status: 201, headers: { 'content-type': 'application/json', 'mcp-session-id': 's' } });
    const limited = await limitResponse(res, () => {}, 'buffer', 100);
    expect(limited.status).toBe(201);
    expect(limited.headers.get('mcp-session-id')).toBe('s');
    expect(await limited.text()).toBe('{"a":1}');
  });
  it('stops a body of undeclared length past the limit: the answer begins and its body fails', async () => {
    let told = '';
    const limited = await limitResponse(json(chunked('x'.repeat(8), 'x'.repeat(8))), (m) => (told = m), 'buffer', 10);
    expect(limited.status).toBe(200);
    await expect(limited.text()).rejects.toThrow(/larger than 10 bytes/);
    expect(told).toMatch(/answer is larger than 10 bytes/);
  });
  it('still counts a body declared over the limit', async () => {
    const limited = await limitResponse(json(chunked('x'.repeat(50)), { 'content-length': '50' }), () => {}, 'buffer', 10);
    await expect(limited.text()).rejects.toThrow(/larger than 10 bytes/);
  });
  it('streams an event stream on, event by event within the limit', async () => {
    const events = 'data: 12345\n\ndata: 67890\n\n';
    const res = new Response(chunked(events.slice(0, 9), events.slice(9)), { headers: { 'content-type': 'text/event-stream' } });
    expect(await (await limitResponse(res, () => {}, 'buffer', 12)).text()).toBe(events);
  });
  it('fails an event stream at its first event over the limit', async () => {
    let told = '';
    const res = new Response(chunked('data: 1\n\n', 'data: 1234567890\n\n'), { headers: { 'content-type': 'text/event-stream' } });
    await expect((await limitResponse(res, (m) => (told = m), 'buffer', 12)).text()).rejects.toThrow(/event larger than 12 bytes/);
    expect(told).toMatch(/event larger/);
  });
});

describe("limitResponse, handed to a fetch event (the page's reader bounds a single message: app/limited-fetch.ts)", () => {
  it('hands a single message on untouched: the same Response, its body unread, and says nothing', async () => {
    let told = '';
    const res = json(chunked('x'.repeat(8), 'x'.repeat(8)), { 'mcp-session-id': 's' });
    const limited = await limitResponse(res, (m) => (told = m), 'fetch-event', 10);
    expect(limited).toBe(res);
    expect(limited.bodyUsed).toBe(false);
    expect(await limited.text()).toBe('x'.repeat(16));
    expect(told).toBe('');
  });
  it('still counts an event stream per event, in the stream itself', async () => {
    let told = '';
    const res = new Response(chunked('data: 1\n\n', 'data: 1234567890\n\n'), { headers: { 'content-type': 'text/event-stream' } });
    await expect((await limitResponse(res, (m) => (told = m), 'fetch-event', 12)).text()).rejects.toThrow(/event larger than 12 bytes/);
    expect(told).toMatch(/event larger/);
  });
});

describe('eventSizeCounter', () => {
  /** The same input fed in every split of two chunks: the verdict must not depend on where chunks end. */
  const everySplit = (text: string, max: number) => {
    const bytes = enc(text);
    const verdicts = new Set<boolean>();
    for (let k = 0; k <= bytes.length; k++) {
      const count = eventSizeCounter(max);
      verdicts.add(count(bytes.slice(0, k)) && count(bytes.slice(k)));
    }
    expect(verdicts.size, `a verdict that depends on the split for ${JSON.stringify(text)}`).toBe(1);
    return [...verdicts][0];
  };
  it('counts each event apart, LF and CRLF alike', () => {
    for (const nl of ['\n', '\r\n']) {
      const two = `data: 12345${nl}${nl}data: 67890${nl}${nl}`;
      expect(everySplit(two, 11)).toBe(true);
      expect(everySplit(two, 10)).toBe(false);
    }
  });
  it('counts the lines of one event together', () => {
    expect(everySplit('event: m\ndata: 1\n\n', 15)).toBe(true);
    expect(everySplit('event: m\ndata: 1\n\n', 14)).toBe(false);
  });
  it('carries an event across chunks', () => {
    const count = eventSizeCounter(10);
    expect(count(enc('data: '))).toBe(true);
    expect(count(enc('1234'))).toBe(true);
    expect(count(enc('5'))).toBe(false);
  });
});

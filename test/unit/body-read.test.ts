import { describe, expect, it } from 'vitest';
import { answeringFrom } from '../../src/app/body-read.ts';

const enc = (s: string) => new TextEncoder().encode(s);
/** What a read body's Response methods give, against the same bytes read by Response itself. */
const both = async (parts: Uint8Array[]) => {
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((at, p) => (whole.set(p, at), at + p.byteLength), 0);
  return { ours: answeringFrom(new Response(null, { status: 200 }), parts), fetchs: new Response(whole) };
};

describe('answeringFrom (the SDK parses the answer the page already read)', () => {
  it('gives json() and text() of one chunk as Response does', async () => {
    const { ours, fetchs } = await both([enc('{"jsonrpc":"2.0","id":1,"result":{}}')]);
    expect(await ours.json()).toEqual(await fetchs.clone().json());
    expect(await ours.text()).toBe(await fetchs.text());
  });
  it('joins chunks, a character split between two of them included', async () => {
    const bytes = enc('{"text":"héllo ✓"}');
    const { ours, fetchs } = await both([bytes.subarray(0, 11), bytes.subarray(11, 16), bytes.subarray(16)]);
    expect(await ours.text()).toBe(await fetchs.text());
    expect(await ours.json()).toEqual({ text: 'héllo ✓' });
  });
  it('drops a UTF-8 byte order mark, as Fetch does', async () => {
    const { ours, fetchs } = await both([new Uint8Array([0xef, 0xbb, 0xbf]), enc('{"a":1}')]);
    expect(await ours.text()).toBe(await fetchs.text());
    expect(await ours.json()).toEqual({ a: 1 });
  });
  it('rejects json() of a body that is not JSON, as Response does', async () => {
    const { ours } = await both([enc('<html>not json</html>')]);
    await expect(ours.json()).rejects.toBeInstanceOf(SyntaxError);
    expect(await ours.text()).toBe('<html>not json</html>');
  });
  it('keeps the response itself: status and headers as they were', async () => {
    const res = new Response(null, { status: 202, statusText: 'Accepted', headers: { 'mcp-session-id': 's1' } });
    const ours = answeringFrom(res, []);
    expect(ours).toBe(res);
    expect([ours.status, ours.statusText, ours.headers.get('mcp-session-id')]).toEqual([202, 'Accepted', 's1']);
    expect(await ours.text()).toBe('');
  });
});

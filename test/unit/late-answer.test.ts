import { describe, expect, it } from 'vitest';
import { answerInTime } from '../../src/sw/late-answer.ts';

const body = new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call' })).buffer;
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('answerInTime', () => {
  it('passes a prompt answer on untouched', async () => {
    const prompt = new Response('{"x":1}', { status: 201, headers: { 'content-type': 'application/json' } });
    expect(await answerInTime(Promise.resolve(prompt), body, 50)).toBe(prompt);
  });

  it('answers a late JSON answer as an event stream begun in time, with the JSON as one message event', async () => {
    const json = '{"jsonrpc":"2.0","id":7,\n"result":{}}';
    const res = await answerInTime(after(80, new Response(json, { headers: { 'content-type': 'application/json' } })), body, 20);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    expect(text).toMatch(/^: /);
    expect(text).toContain('event: message\ndata: {"jsonrpc":"2.0","id":7,\ndata: "result":{}}\n\n');
  });

  it('passes a late event stream on as it is', async () => {
    const sse = 'event: message\ndata: {"jsonrpc":"2.0","id":7,"result":{}}\n\n';
    const res = await answerInTime(after(60, new Response(sse, { headers: { 'content-type': 'text/event-stream' } })), body, 20);
    expect((await res.text()).endsWith(sse)).toBe(true);
  });

  it('turns a late failure into a JSON-RPC error for the request', async () => {
    const failed = await answerInTime(after(60, new Response('no', { status: 502 })), body, 20);
    expect(await failed.text()).toContain('"id":7,"error":{"code":-32603,"message":"The MCP server answered HTTP 502');
    const thrown = await answerInTime(after(60, undefined).then(() => Promise.reject(new TypeError('Failed to fetch'))), body, 20);
    expect(await thrown.text()).toContain('No answer from the MCP server: Failed to fetch');
  });

  it('reads a late JSON answer only up to the message limit, and turns a larger one into a JSON-RPC error', async () => {
    const big = new Response('x'.repeat(40), { headers: { 'content-type': 'application/json' } });
    const res = await answerInTime(after(60, big), body, 20, 30);
    const text = await res.text();
    expect(text).toContain('"id":7,"error":{"code":-32603,"message":"The MCP server answered after more than 0 minutes, but the server\'s answer is larger than 30 bytes');
    expect(text).not.toContain('xxxx');
  });
});

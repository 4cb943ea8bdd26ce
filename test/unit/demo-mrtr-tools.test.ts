/**
 * The demo server's multi-round-trip and custom-header tools (demo/mcp/mrtr-tools.mjs) with the
 * official MCP client in Node, where the SDK does both itself: the echoed requestState and the
 * Mcp-Param-* headers it records, and the switch that lists a tool with an invalid annotation.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { demoStackWithToken } from './demo-stack.ts';
import { INVALID_HEADER_TOOL_ENV } from '../../demo/mcp/mrtr-tools.mjs';

const demo = demoStackWithToken();

async function connect(mode: 'legacy' | { pin: '2026-07-28' }): Promise<Client> {
  const client = new Client({ name: 'demo-mrtr-test', version: '0' }, { versionNegotiation: { mode }, capabilities: { elicitation: { form: {} }, sampling: {} } });
  client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { city: 'Lisbon', nights: 3 } }));
  client.setRequestHandler('sampling/createMessage', () => ({ role: 'assistant', model: 'test', content: { type: 'text', text: 'Thanks!' } }));
  await client.connect(new StreamableHTTPClientTransport(new URL(demo.stack.mcp.url), { requestInit: { headers: { Authorization: `Bearer ${demo.accessToken}` } } }));
  return client;
}

const text = (r: { content?: unknown }) => ((r.content as { text: string }[])[0]!).text;

describe.each([['2025-11-25', 'legacy'], ['2026-07-28', { pin: '2026-07-28' }]] as const)('on %s', (revision, mode) => {
  it('plan-trip and draft-reply ask and answer', async () => {
    const client = await connect(mode);
    try {
      const before = demo.stack.mcp.toolCalls.length;
      expect(text(await client.callTool({ name: 'plan-trip', arguments: { traveller: 'Ada' } }))).toBe('Trip for Ada: 3 nights in Lisbon');
      expect(text(await client.callTool({ name: 'draft-reply', arguments: { message: 'Hello' } }))).toBe('Draft: Thanks!');
      const calls = demo.stack.mcp.toolCalls.slice(before);
      if (revision === '2026-07-28') {
        // Each call went twice; the retry echoed the sealed state and answered by key.
        expect(calls.map((c) => [c.name, !!c.retry])).toEqual([['plan-trip', false], ['plan-trip', true], ['draft-reply', false], ['draft-reply', true]]);
        expect(calls[1]!.requestState).toMatch(/^v1\./);
        expect(calls[1]!.inputResponses).toEqual(['destination']);
        expect(calls[3]!.inputResponses).toEqual(['draft']);
      } else {
        expect(calls.map((c) => c.name)).toEqual(['plan-trip', 'draft-reply']);
      }
    } finally {
      await client.close();
    }
  });
});

describe('custom headers on 2026-07-28', () => {
  it('route-request receives its Mcp-Param-* headers, Base64 for non-ASCII', async () => {
    const client = await connect({ pin: '2026-07-28' });
    try {
      await client.listTools();
      const r = await client.callTool({ name: 'route-request', arguments: { region: 'eu-west', priority: 3, label: 'café', body: 'x' } });
      expect(text(r)).toBe('Routed to eu-west at priority 3 (café)');
      expect(demo.stack.mcp.toolCalls.at(-1)!.paramHeaders).toEqual({
        'mcp-param-region': 'eu-west',
        'mcp-param-priority': '3',
        'mcp-param-label': `=?base64?${Buffer.from('café').toString('base64')}?=`,
      });
      expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('broken-header');
    } finally {
      await client.close();
    }
  });

  it('the switch lists broken-header, which the client leaves out', async () => {
    process.env[INVALID_HEADER_TOOL_ENV] = '1';
    const client = await connect({ pin: '2026-07-28' });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('route-request');
      expect(names).not.toContain('broken-header');
      // It is listed: a raw request sees it.
      const raw = await fetch(demo.stack.mcp.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${demo.accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 't', version: '0' }, 'io.modelcontextprotocol/clientCapabilities': {} } } }),
      });
      expect(await raw.text()).toContain('broken-header');
    } finally {
      delete process.env[INVALID_HEADER_TOOL_ENV];
      await client.close();
    }
  });
});

/**
 * The demo MCP server, end to end in Node: the real demo stack (oidc-provider authorization
 * server + MCP SDK server), a real access token obtained with the app's grant (authorization
 * code + PKCE + RFC 8707 resource, auto-approved), and the official MCP client over both
 * protocol revisions. Checks what the server offers (tools, icons, completions) and what it
 * records for tests (`completions`, `toolCalls`, `requests`).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStackWithToken } from './demo-stack.ts';


/** The tools the server listed before it was split into demo/mcp/ (toggle-extra-tool adds `extra`). */
const TOOL_NAMES = [
  'echo', 'add', 'slow-count', 'admin-report', 'order-form', 'sample-content', 'failing-tool',
  'ask-name', 'open-link', 'ask-model', 'list-roots', 'plan-trip', 'draft-reply', 'route-request', 'log-burst', 'bump-counter', 'toggle-extra-tool', 'long-task', 'sum-app', 'app-add',
];

const PNG_DATA_URI = /^data:image\/png;base64,iVBORw0KGgo[A-Za-z0-9+/]+=*$/;

const demo = demoStackWithToken();

const REVISIONS = [
  { revision: '2025-11-25', mode: 'legacy' as const },
  { revision: '2026-07-28', mode: { pin: '2026-07-28' } },
];

describe.each(REVISIONS)('demo MCP server over $revision', ({ revision, mode }) => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ name: 'demo-mcp-server-test', version: '0' }, { versionNegotiation: { mode } });
    const transport = new StreamableHTTPClientTransport(new URL(demo.stack.mcp.url), {
      requestInit: { headers: { Authorization: `Bearer ${demo.accessToken}` } },
    });
    await client.connect(transport);
  }, 15_000);

  afterAll(async () => {
    await client?.close();
  });

  it('speaks the revision asked for', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(revision);
  });

  it('lists the same tools as before the split', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
  });

  it('declares completions and carries icons: server, tools (one SVG), a resource, a prompt', async () => {
    expect(client.getServerCapabilities()?.completions).toEqual({});
    const server = client.getServerVersion();
    expect(server?.icons?.[0]?.src).toMatch(PNG_DATA_URI);

    const { tools } = await client.listTools();
    const iconOf = (name: string) => tools.find((t) => t.name === name)?.icons?.[0];
    for (const name of ['echo', 'add', 'sample-content']) {
      expect(iconOf(name), name).toMatchObject({ mimeType: 'image/png', sizes: ['16x16'] });
      expect(iconOf(name)?.src, name).toMatch(PNG_DATA_URI);
    }
    expect(iconOf('order-form')).toMatchObject({ mimeType: 'image/svg+xml' });
    expect(iconOf('order-form')?.src).toMatch(/^data:image\/svg\+xml,%3Csvg/);
    expect(iconOf('slow-count')).toBeUndefined();

    const { resources } = await client.listResources();
    expect(resources.find((r) => r.uri === 'demo://readme')?.icons?.[0]?.src).toMatch(PNG_DATA_URI);
    const { prompts } = await client.listPrompts();
    expect(prompts.find((p) => p.name === 'greet')?.icons?.[0]?.src).toMatch(PNG_DATA_URI);

    // The logo resource is unchanged: the 16x16 Keyhole-blue PNG.
    const logo = await client.readResource({ uri: 'demo://logo.png' });
    expect(logo.contents[0]).toMatchObject({ mimeType: 'image/png', blob: server?.icons?.[0]?.src.split(',')[1] });
  });

  /** Completes, and checks that the server saw exactly this request once more. */
  async function complete(params: Parameters<Client['complete']>[0]) {
    const counted = () => demo.stack.mcp.requests.filter((r) => r.mcpMethod === 'completion/complete').length;
    const before = counted();
    const { completion } = await client.complete(params);
    expect(counted()).toBe(before + 1);
    const last = demo.stack.mcp.completions.at(-1);
    expect(last).toMatchObject({ ref: params.ref, argument: params.argument });
    expect(last?.context).toEqual(params.context);
    return completion.values;
  }

  it('completes the translate prompt’s language, case-insensitively by prefix', async () => {
    const ref = { type: 'ref/prompt' as const, name: 'translate' };
    expect(await complete({ ref, argument: { name: 'language', value: 'fr' } })).toEqual(['French']);
    expect(await complete({ ref, argument: { name: 'language', value: 'D' } })).toEqual(['Dutch', 'Danish']);
    expect(await complete({ ref, argument: { name: 'language', value: '' } })).toHaveLength(15);
    expect(await complete({ ref, argument: { name: 'language', value: 'xx' } })).toEqual([]);
  });

  it('receives and records the context arguments of a completion', async () => {
    const values = await complete({
      ref: { type: 'ref/prompt', name: 'translate' },
      argument: { name: 'language', value: 'Ja' },
      context: { arguments: { text: 'Bonjour tout le monde' } },
    });
    expect(values).toEqual(['Japanese']);
    expect(demo.stack.mcp.completions.at(-1)?.context).toEqual({ arguments: { text: 'Bonjour tout le monde' } });
  });

  it('completes the greet prompt’s name', async () => {
    const ref = { type: 'ref/prompt' as const, name: 'greet' };
    expect(await complete({ ref, argument: { name: 'name', value: 'al' } })).toEqual(['Alan', 'Alonzo']);
    expect(await complete({ ref, argument: { name: 'name', value: 'G' } })).toEqual(['Grace']);
  });

  it('completes the greeting template’s name', async () => {
    const ref = { type: 'ref/resource' as const, uri: 'demo://greeting/{name}' };
    expect(await complete({ ref, argument: { name: 'name', value: 'd' } })).toEqual(['Donald', 'Dennis']);
    expect(await complete({ ref, argument: { name: 'name', value: 'Ada' } })).toEqual(['Ada']);
  });

  it('completes the swatch template’s colour with hex colours', async () => {
    const ref = { type: 'ref/resource' as const, uri: 'demo://swatch/{rgb}' };
    expect(await complete({ ref, argument: { name: 'rgb', value: '25' } })).toEqual(['2563eb']);
    expect(await complete({ ref, argument: { name: 'rgb', value: 'AB' } })).toEqual(['ab0000']);
    const all = await complete({ ref, argument: { name: 'rgb', value: '' } });
    expect(all.length).toBeGreaterThan(5);
    for (const value of all) expect(value).toMatch(/^[0-9a-f]{6}$/);
  });

  it('records each tool call with its arguments', async () => {
    const before = demo.stack.mcp.toolCalls.length;
    const args = { text: `again over ${revision}` };
    await client.callTool({ name: 'echo', arguments: args });
    await client.callTool({ name: 'echo', arguments: args });
    await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    const calls = demo.stack.mcp.toolCalls.slice(before);
    expect(calls.map(({ name, arguments: a }) => ({ name, arguments: a }))).toEqual([
      { name: 'echo', arguments: args },
      { name: 'echo', arguments: args },
      { name: 'add', arguments: { a: 2, b: 3 } },
    ]);
    for (const call of calls) expect(call.time).toBeGreaterThan(0);
  });
});

describe('demo MCP server records', () => {
  it('does not record a tool call refused for its token', async () => {
    const before = demo.stack.mcp.toolCalls.length;
    const response = await fetch(demo.stack.mcp.url, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer not-a-token',
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }),
    });
    expect(response.status).toBe(401);
    expect(demo.stack.mcp.requests.at(-1)).toMatchObject({ mcpMethod: 'tools/call', status: 401 });
    expect(demo.stack.mcp.toolCalls.length).toBe(before);
  });
});

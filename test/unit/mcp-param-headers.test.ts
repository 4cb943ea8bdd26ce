import { describe, expect, it } from 'vitest';
import { encodeHeaderValue, paramHeaders, scanHeaderDeclarations } from '../../src/app/mcp-param-headers.ts';
import { excludedTools } from '../../src/app/excluded-tools.ts';
import type { WireEntry } from '../../src/app/wire-log.ts';

const tool = (properties: Record<string, unknown>) => ({ inputSchema: { type: 'object' as const, properties } });

describe('x-mcp-header declarations (SEP-2243)', () => {
  it('collects annotated string, integer and boolean parameters, nested through properties', () => {
    const scan = scanHeaderDeclarations(
      tool({ region: { type: 'string', 'x-mcp-header': 'Region' }, opts: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' } } }, q: { type: 'string' } }).inputSchema,
    );
    expect(scan).toEqual({ valid: true, declarations: [{ path: ['region'], name: 'Region' }, { path: ['opts', 'n'], name: 'N' }] });
  });

  it.each([
    ['empty', { v: { type: 'string', 'x-mcp-header': '' } }, /empty/],
    ['object', { v: { type: 'object', 'x-mcp-header': 'Data' } }, /only string, integer and boolean/],
    ['number', { v: { type: 'number', 'x-mcp-header': 'Score' } }, /of type number/],
    ['null', { v: { type: 'null', 'x-mcp-header': 'Nil' } }, /of type null/],
    ['space', { v: { type: 'string', 'x-mcp-header': 'My Region' } }, /not a valid header name/],
    ['colon', { v: { type: 'string', 'x-mcp-header': 'Region:Primary' } }, /not a valid header name/],
    ['non-ASCII', { v: { type: 'string', 'x-mcp-header': 'Région' } }, /not a valid header name/],
    ['control', { v: { type: 'string', 'x-mcp-header': 'Region\t1' } }, /not a valid header name/],
    ['duplicate, other case', { a: { type: 'string', 'x-mcp-header': 'MyField' }, b: { type: 'string', 'x-mcp-header': 'myfield' } }, /declared twice/],
    ['under items', { a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } }, /through "properties" alone/],
  ])('refuses %s', (_, properties, reason) => {
    const scan = scanHeaderDeclarations(tool(properties).inputSchema);
    expect(scan.valid).toBe(false);
    if (!scan.valid) expect(scan.reason).toMatch(reason);
  });
});

describe('Mcp-Param headers', () => {
  const t = tool({
    region: { type: 'string', 'x-mcp-header': 'Region' },
    priority: { type: 'integer', 'x-mcp-header': 'Priority' },
    verbose: { type: 'boolean', 'x-mcp-header': 'Verbose' },
    text: { type: 'string', 'x-mcp-header': 'Text' },
    query: { type: 'string' },
  });

  it('mirrors annotated arguments only, omits nulls and absent ones', () => {
    expect(paramHeaders(t, { region: 'us-west1', priority: 42, verbose: null, query: 'SELECT 1' })).toEqual({
      'Mcp-Param-Region': 'us-west1',
      'Mcp-Param-Priority': '42',
    });
    expect(paramHeaders(t, { verbose: false })).toEqual({ 'Mcp-Param-Verbose': 'false' });
  });

  it('uses the Base64 form for values that are not safe header text', () => {
    expect(encodeHeaderValue('us west 1')).toBe('us west 1');
    expect(encodeHeaderValue('Hello, 世界')).toBe(`=?base64?${Buffer.from('Hello, 世界').toString('base64')}?=`);
    for (const s of [' padded ', 'line1\nline2', 'line1\r\nline2', '\tindented', '=?base64?abc?=']) {
      expect(encodeHeaderValue(s)).toBe(`=?base64?${Buffer.from(s).toString('base64')}?=`);
    }
  });
});

describe('tools left out', () => {
  const entry = (seq: number, dir: 'in' | 'out', kind: WireEntry['kind'], message: unknown, session = 1): WireEntry =>
    ({ seq, at: seq, dir, kind, method: 'tools/list', session, message }) as WireEntry;
  const listing = {
    jsonrpc: '2.0',
    id: 2,
    result: { tools: [{ name: 'ok', inputSchema: { type: 'object' } }, { name: 'bad', inputSchema: tool({ v: { type: 'number', 'x-mcp-header': 'V' } }).inputSchema }] },
  };

  it('names the listed tools the client left out, with the reason, from the last listing only', () => {
    const entries = [
      entry(1, 'out', 'request', { jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      entry(2, 'in', 'response', { ...listing, result: { tools: [{ name: 'old', inputSchema: tool({ v: { type: 'object', 'x-mcp-header': 'V' } }).inputSchema }] } }),
      entry(3, 'out', 'request', { jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      entry(4, 'in', 'response', listing),
    ];
    const out = excludedTools(entries, [{ name: 'ok', inputSchema: { type: 'object' } }]);
    expect(out.map((t) => t.name)).toEqual(['bad']);
    expect(out[0]!.reason).toMatch(/of type number/);
    expect(excludedTools([], [])).toEqual([]);
  });
});

describe('results without resultType', () => {
  it('are complete; a result that has one, an error or a request stay as they are', async () => {
    const { completed } = await import('../../src/app/result-type.ts');
    const bare = { jsonrpc: '2.0' as const, id: 1, result: { content: [] } };
    expect(completed(bare)).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [], resultType: 'complete' } });
    expect(bare.result).not.toHaveProperty('resultType');
    const asked = { jsonrpc: '2.0' as const, id: 2, result: { resultType: 'input_required', requestState: 's' } };
    expect(completed(asked)).toBe(asked);
    const error = { jsonrpc: '2.0' as const, id: 3, error: { code: -1, message: 'no' } };
    expect(completed(error)).toBe(error);
  });
});

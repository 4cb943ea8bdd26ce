import { describe, expect, it, vi } from 'vitest';
import { describeOperation, operationOf } from '../../src/sw/rules/operation.ts';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)).buffer as ArrayBuffer;

describe('describeOperation', () => {
  it('names the tool, prompt or resource a request acts on', () => {
    expect(describeOperation(bytes({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: {} } }))).toBe('tools/call echo');
    expect(describeOperation(bytes({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'demo://x' } }))).toBe('resources/read demo://x');
    expect(describeOperation(bytes({ jsonrpc: '2.0', id: 3, method: 'tools/list' }))).toBe('tools/list');
  });

  it('says "request" for what is not one JSON-RPC request', () => {
    expect(describeOperation(bytes('not json'))).toBe('request');
    expect(describeOperation(bytes({ jsonrpc: '2.0', id: 1, result: {} }))).toBe('request');
    expect(describeOperation(bytes([{ jsonrpc: '2.0', id: 1, method: 'ping' }]))).toBe('request');
  });
});

describe('operationOf', () => {
  const call = bytes({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });

  it('takes the method from Mcp-Method and describes the operation from the body', () => {
    const op = operationOf('POST', 'tools/call', call);
    expect(op.method).toBe('tools/call');
    expect(op.described).toBe('tools/call echo');
  });

  it('parses the body only when the operation is asked for, and once', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const op = operationOf('POST', 'tools/call', call);
      expect(op.method).toBe('tools/call');
      expect(parse).not.toHaveBeenCalled();
      expect(op.described).toBe('tools/call echo');
      expect(op.described).toBe('tools/call echo');
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('without the header, parses the body for the method too (earlier protocol revisions)', () => {
    const op = operationOf('POST', null, call);
    expect(op.method).toBe('tools/call echo');
    expect(op.described).toBe('tools/call echo');
    expect(operationOf('POST', null, bytes({ jsonrpc: '2.0', id: 1, result: {} })).method).toBe('request');
  });

  it('names a request without a body by its HTTP method', () => {
    expect(operationOf('GET', null, undefined)).toEqual({ method: 'GET', described: 'GET' });
    expect(operationOf('DELETE', 'ignored', undefined)).toEqual({ method: 'DELETE', described: 'DELETE' });
  });
});

import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { WireLog } from '../../src/app/wire-log.ts';

const request = (id: string | number, method = 'tools/call'): JSONRPCMessage => ({ jsonrpc: '2.0', id, method, params: {} });
const result = (id: string | number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} });
const failure = (id: string | number): JSONRPCMessage => ({ jsonrpc: '2.0', id, error: { code: -32602, message: 'bad' } });

/** The smallest transport `attach` can wrap: what it sends is dropped, what it receives is given to it. */
function transport(): Transport & { receive(m: JSONRPCMessage): void } {
  const t = {
    onmessage: undefined as Transport['onmessage'],
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
    send: () => Promise.resolve(),
    receive(m: JSONRPCMessage) {
      t.onmessage?.(m);
    },
  };
  return t as unknown as Transport & { receive(m: JSONRPCMessage): void };
}

describe('WireLog pairs each answer with its request', () => {
  it('links a request and its result both ways, with the round trip on both', () => {
    const log = new WireLog();
    log.record('out', request(1));
    log.record('in', { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    log.record('in', result(1));
    const [req, note, res] = log.entries;
    expect(res!.partner).toBe(req!.seq);
    expect(req!.partner).toBe(res!.seq);
    expect(req!.answer).toBe('response');
    expect(res!.method).toBe('tools/call');
    expect(res!.ms).toBeGreaterThanOrEqual(0);
    expect(req!.ms).toBe(res!.ms);
    expect(note!.partner).toBeUndefined();
    expect(log.find(req!.seq)).toBe(req);
  });

  it('marks a request answered with an error', () => {
    const log = new WireLog();
    log.record('out', request(7));
    log.record('in', failure(7));
    expect(log.entries[0]!.answer).toBe('error');
    expect(log.entries[1]!.kind).toBe('error');
  });

  it('pairs server-to-client requests with the client answer, apart from the client ids', () => {
    const log = new WireLog();
    log.record('out', request(0));
    log.record('in', request(0, 'sampling/createMessage'));
    log.record('out', result(0));
    log.record('in', result(0));
    const [clientReq, serverReq, clientAnswer, serverAnswer] = log.entries;
    expect(clientAnswer!.partner).toBe(serverReq!.seq);
    expect(clientAnswer!.method).toBe('sampling/createMessage');
    expect(serverAnswer!.partner).toBe(clientReq!.seq);
    expect(serverAnswer!.method).toBe('tools/call');
  });

  it('tells id 1 from id "1" (JSON-RPC 2.0)', () => {
    const log = new WireLog();
    log.record('out', request(1));
    log.record('out', request('1', 'resources/read'));
    log.record('in', result('1'));
    expect(log.entries[2]!.partner).toBe(log.entries[1]!.seq);
    expect(log.entries[0]!.partner).toBeUndefined();
  });

  it('pairs with the nearest earlier request of that id', () => {
    const log = new WireLog();
    log.record('out', request(4, 'ping'));
    log.record('out', request(4, 'tools/list'));
    log.record('in', result(4));
    expect(log.entries[2]!.partner).toBe(log.entries[1]!.seq);
    expect(log.entries[2]!.method).toBe('tools/list');
  });

  it('keeps connections apart: a reconnect reuses ids, and a late answer on the old connection finds its own request', () => {
    const log = new WireLog();
    const first = transport();
    log.attach(first);
    first.onmessage = () => {};
    void first.send(request(0, 'initialize'));
    const second = transport();
    log.attach(second);
    second.onmessage = () => {};
    void second.send(request(0, 'initialize'));
    second.receive(result(0));
    first.receive(result(0));
    const [oldReq, newReq, newAnswer, oldAnswer] = log.entries;
    expect(oldReq!.session).not.toBe(newReq!.session);
    expect(newAnswer!.partner).toBe(newReq!.seq);
    expect(oldAnswer!.partner).toBe(oldReq!.seq);
  });

  it('does not pair an answer whose request it never saw', () => {
    const log = new WireLog();
    log.record('in', result(9));
    expect(log.entries[0]!.partner).toBeUndefined();
    expect(log.entries[0]!.kind).toBe('response');
  });

  it('forgets open requests on clear', () => {
    const log = new WireLog();
    log.record('out', request(2));
    log.clear();
    log.record('in', result(2));
    expect(log.entries[0]!.partner).toBeUndefined();
  });
});

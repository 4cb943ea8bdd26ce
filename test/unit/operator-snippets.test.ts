/**
 * The Express snippet of docs/operators.md, run for real: a server using it answers Keyhole's
 * preflight and exposes the headers Keyhole reads. The markdown must contain the file verbatim.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyholeCors } from '../../docs/snippets/express-cors.mjs';

const APP = 'https://keyhole.example';
let base = '';
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.use(keyholeCors([APP]));
  app.post('/mcp', (_req, res) => {
    res.set('WWW-Authenticate', 'Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp"').status(401).end();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('docs/snippets/express-cors.mjs', () => {
  it('is quoted verbatim in docs/operators.md', () => {
    const doc = readFileSync('docs/operators.md', 'utf8');
    expect(doc).toContain(readFileSync('docs/snippets/express-cors.mjs', 'utf8').trim());
  });

  it('answers the preflight of an authorized MCP POST from the Keyhole origin', async () => {
    const res = await fetch(`${base}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,dpop,content-type,mcp-protocol-version,mcp-session-id' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'dpop', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id']) expect(allowed).toContain(h);
    expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
  });

  it('exposes the challenge, the session id and the DPoP nonce, and only to the Keyhole origin', async () => {
    const res = await fetch(`${base}/mcp`, { method: 'POST', headers: { origin: APP } });
    expect(res.status).toBe(401);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const h of ['www-authenticate', 'mcp-session-id', 'dpop-nonce']) expect(exposed).toContain(h);
    const other = await fetch(`${base}/mcp`, { method: 'POST', headers: { origin: 'https://elsewhere.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

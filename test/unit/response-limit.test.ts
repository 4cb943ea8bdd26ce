import { describe, expect, it } from 'vitest';
import { declaredWithin, limitResponse } from '../../src/sw/response-limit.ts';

const json = (body: string, headers: Record<string, string> = {}) => new Response(body, { headers: { 'content-type': 'application/json', ...headers } });

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
  it('passes a declared body within the limit through as it is', () => {
    const res = json('{"a":1}', { 'content-length': '7' });
    expect(limitResponse(res, () => {}, 100)).toBe(res);
  });
  it('still counts a body whose length is not declared, and stops it past the limit', async () => {
    let told = '';
    const limited = limitResponse(json('x'.repeat(50)), (m) => (told = m), 10);
    await expect(limited.text()).rejects.toThrow(/larger than 10 bytes/);
    expect(told).toMatch(/larger than 10 bytes/);
  });
  it('still counts a body declared over the limit', async () => {
    const limited = limitResponse(json('x'.repeat(50), { 'content-length': '50' }), () => {}, 10);
    await expect(limited.text()).rejects.toThrow(/larger than 10 bytes/);
  });
});

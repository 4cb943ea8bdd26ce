import { describe, expect, it } from 'vitest';
import { LEGACY_HORIZON_MS, MODERN_HORIZON_MS, forgetDiscovery, rememberDiscovery, rememberedDiscovery } from '../../src/app/discovery-store.ts';
import { memoryStorage } from './memory-storage.ts';

const A = 'https://a.example/mcp';
const B = 'https://b.example/mcp';
const discover = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'a', version: '1' } };
const T = 1_800_000_000_000;

describe('remembered discoveries', () => {
  it('gives back what a server said, per server, and nothing for another', () => {
    const s = memoryStorage();
    rememberDiscovery(A, { kind: 'modern', discover } as never, s, T);
    expect(rememberedDiscovery(A, s, T + 1000)).toEqual({ kind: 'modern', discover });
    expect(rememberedDiscovery(B, s, T + 1000)).toBeUndefined();
  });

  it('trusts a legacy verdict for a day and a 2026-07-28 discovery for a month', () => {
    const s = memoryStorage();
    rememberDiscovery(A, { kind: 'legacy' }, s, T);
    rememberDiscovery(B, { kind: 'modern', discover } as never, s, T);
    expect(rememberedDiscovery(A, s, T + LEGACY_HORIZON_MS - 1)).toEqual({ kind: 'legacy' });
    expect(rememberedDiscovery(A, s, T + LEGACY_HORIZON_MS)).toBeUndefined();
    expect(rememberedDiscovery(B, s, T + LEGACY_HORIZON_MS)).toBeDefined();
    expect(rememberedDiscovery(B, s, T + MODERN_HORIZON_MS)).toBeUndefined();
    // A clock set back is no reason to trust an entry "from the future".
    expect(rememberedDiscovery(B, s, T - 1)).toBeUndefined();
  });

  it('forgets one server, and the key with the last one', () => {
    const s = memoryStorage();
    rememberDiscovery(A, { kind: 'legacy' }, s, T);
    rememberDiscovery(B, { kind: 'legacy' }, s, T);
    forgetDiscovery(A, s);
    expect(rememberedDiscovery(A, s, T)).toBeUndefined();
    expect(rememberedDiscovery(B, s, T)).toEqual({ kind: 'legacy' });
    forgetDiscovery(B, s);
    expect(s.map.size).toBe(0);
  });

  it('ignores what it cannot read: other JSON, a damaged entry, blocked or full storage', () => {
    const s = memoryStorage();
    s.setItem('keyhole.discovery', '[1,2]');
    expect(rememberedDiscovery(A, s, T)).toBeUndefined();
    s.setItem('keyhole.discovery', JSON.stringify({ [A]: { at: T, prior: { kind: 'modern' } }, [B]: { at: 'x', prior: { kind: 'legacy' } } }));
    expect(rememberedDiscovery(A, s, T)).toBeUndefined();
    expect(rememberedDiscovery(B, s, T)).toBeUndefined();
    s.setItem('keyhole.discovery', JSON.stringify({ ['__proto__']: { at: T, prior: { kind: 'legacy' } } }));
    expect(rememberedDiscovery('toString', s, T)).toBeUndefined();
    const full = memoryStorage(10);
    expect(() => rememberDiscovery(A, { kind: 'legacy' }, full, T)).not.toThrow();
    expect(rememberedDiscovery(A, full, T)).toBeUndefined();
  });
});

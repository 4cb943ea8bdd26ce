import { describe, expect, it } from 'vitest';
import { DRAFTS_MAX_CHARS, clearDraft, draftKey, forgetDrafts, loadDraft, saveDraft } from '../../src/app/drafts-store.ts';
import { memoryStorage } from './memory-storage.ts';

const A = 'https://a.example/mcp';
const B = 'https://b.example/mcp';

describe('drafts store', () => {
  it('keeps a form\'s values per server and form, and gives them back', () => {
    const s = memoryStorage();
    saveDraft(A, draftKey('tool', 'echo'), { text: 'hello', n: 3 }, s);
    saveDraft(B, draftKey('tool', 'echo'), { text: 'other server' }, s);
    saveDraft(A, draftKey('prompt', 'echo'), { text: 'a prompt' }, s);
    expect(loadDraft(A, 'tool:echo', s)).toEqual({ text: 'hello', n: 3 });
    expect(loadDraft(B, 'tool:echo', s)).toEqual({ text: 'other server' });
    expect(loadDraft(A, 'prompt:echo', s)).toEqual({ text: 'a prompt' });
    expect(loadDraft(A, 'template:file:///{path}', s)).toBeUndefined();
  });

  it('replaces a form\'s draft when saved again, and clears it', () => {
    const s = memoryStorage();
    saveDraft(A, 'tool:echo', { text: 'one' }, s);
    saveDraft(A, 'tool:echo', { text: 'two' }, s);
    expect(loadDraft(A, 'tool:echo', s)).toEqual({ text: 'two' });
    expect(JSON.parse(s.map.get('keyhole.drafts.v1')!)).toHaveLength(1);
    clearDraft(A, 'tool:echo', s);
    expect(loadDraft(A, 'tool:echo', s)).toBeUndefined();
    expect(s.map.size).toBe(0);
    saveDraft(A, 'tool:echo', { text: 'three' }, s);
    saveDraft(A, 'tool:echo', undefined, s);
    expect(loadDraft(A, 'tool:echo', s)).toBeUndefined();
  });

  it('keeps about 100 KB in all, dropping the least recently saved', () => {
    const s = memoryStorage();
    const form = (n: number) => ({ text: String(n).repeat(30_000).slice(0, 30_000) });
    for (let n = 1; n <= 5; n++) saveDraft(n % 2 ? A : B, `tool:t${n}`, form(n), s);
    expect(s.map.get('keyhole.drafts.v1')!.length).toBeLessThanOrEqual(DRAFTS_MAX_CHARS);
    expect(loadDraft(B, 'tool:t1', s) ?? loadDraft(A, 'tool:t1', s)).toBeUndefined();
    expect(loadDraft(B, 'tool:t2', s)).toBeUndefined();
    expect(loadDraft(A, 'tool:t3', s)).toEqual(form(3));
    expect(loadDraft(B, 'tool:t4', s)).toEqual(form(4));
    expect(loadDraft(A, 'tool:t5', s)).toEqual(form(5));
    // Saving an old draft again makes it the newest.
    saveDraft(A, 'tool:t3', form(3), s);
    saveDraft(A, 'tool:t6', form(6), s);
    expect(loadDraft(A, 'tool:t3', s)).toEqual(form(3));
    expect(loadDraft(B, 'tool:t4', s)).toBeUndefined();
  });

  it('does not keep a draft too large on its own, and keeps the others', () => {
    const s = memoryStorage();
    saveDraft(A, 'tool:small', { text: 'keep me' }, s);
    saveDraft(A, 'tool:huge', { text: 'old' }, s);
    saveDraft(A, 'tool:huge', { text: 'x'.repeat(DRAFTS_MAX_CHARS) }, s);
    expect(loadDraft(A, 'tool:huge', s)).toBeUndefined();
    expect(loadDraft(A, 'tool:small', s)).toEqual({ text: 'keep me' });
  });

  it('forgets every draft of a removed server only', () => {
    const s = memoryStorage();
    saveDraft(A, 'tool:a', 1, s);
    saveDraft(A, 'prompt:a', 2, s);
    saveDraft(B, 'tool:b', 3, s);
    forgetDrafts(A, s);
    expect(loadDraft(A, 'tool:a', s)).toBeUndefined();
    expect(loadDraft(A, 'prompt:a', s)).toBeUndefined();
    expect(loadDraft(B, 'tool:b', s)).toBe(3);
  });

  it('reads a corrupt store as empty, and never throws on a full or blocked storage', () => {
    const s = memoryStorage();
    s.map.set('keyhole.drafts.v1', '{broken');
    expect(loadDraft(A, 'tool:a', s)).toBeUndefined();
    saveDraft(A, 'tool:a', { ok: true }, s);
    expect(loadDraft(A, 'tool:a', s)).toEqual({ ok: true });

    const full = memoryStorage(200);
    expect(() => saveDraft(A, 'tool:a', { text: 'y'.repeat(500) }, full)).not.toThrow();
    expect(loadDraft(A, 'tool:a', full)).toBeUndefined();
    const denied = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const blocked = { getItem: denied, setItem: denied, removeItem: denied };
    expect(() => saveDraft(A, 'tool:a', 1, blocked)).not.toThrow();
    expect(loadDraft(A, 'tool:a', blocked)).toBeUndefined();
    expect(() => clearDraft(A, 'tool:a', blocked)).not.toThrow();
  });
});

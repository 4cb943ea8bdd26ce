import { describe, expect, it } from 'vitest';
import { DRAFTS_MAX_CHARS, clearDraft, draftKey, forgetDrafts, loadDraft, loadFields, looksSecret, saveDraft, saveFields } from '../../src/app/drafts-store.ts';
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

describe('drafts of text fields (prompt arguments, template variables)', () => {
  it('keeps the filled fields and gives them back', () => {
    const s = memoryStorage();
    saveFields(A, draftKey('prompt', 'greet'), { name: 'Ada', style: '' }, s);
    saveFields(A, draftKey('template', 'demo://{city}'), { city: 'Oslo' }, s);
    expect(loadFields(A, 'prompt:greet', s)).toEqual({ name: 'Ada' });
    expect(loadFields(A, 'template:demo://{city}', s)).toEqual({ city: 'Oslo' });
    expect(loadFields(B, 'prompt:greet', s)).toBeUndefined();
  });

  it('never writes a field whose name looks like a credential', () => {
    const s = memoryStorage();
    saveFields(A, 'prompt:login', { user: 'ada', password: 'hunter2', api_key: 'k-123', 'Access Token': 't', author: 'Lovelace' }, s);
    expect(loadFields(A, 'prompt:login', s)).toEqual({ user: 'ada', author: 'Lovelace' });
    expect(s.map.get('keyhole.drafts.v1')).not.toMatch(/hunter2|k-123/);
    for (const name of ['passwd', 'client_secret', 'apiKey', 'privateKey', 'credentials', 'Authorization', 'sessionId']) expect(looksSecret(name), name).toBe(true);
    for (const name of ['name', 'city', 'path', 'author', 'query']) expect(looksSecret(name), name).toBe(false);
  });

  it('clears the draft when nothing is left to keep, and reads anything else stored as none', () => {
    const s = memoryStorage();
    saveFields(A, 'prompt:greet', { name: 'Ada' }, s);
    saveFields(A, 'prompt:greet', { name: '', secret: 'x' }, s);
    expect(loadFields(A, 'prompt:greet', s)).toBeUndefined();
    expect(s.map.size).toBe(0);
    saveDraft(A, 'prompt:odd', ['not', 'fields'], s);
    saveDraft(A, 'prompt:mixed', { name: 'Ada', n: 3 }, s);
    expect(loadFields(A, 'prompt:odd', s)).toBeUndefined();
    expect(loadFields(A, 'prompt:mixed', s)).toEqual({ name: 'Ada' });
  });
});

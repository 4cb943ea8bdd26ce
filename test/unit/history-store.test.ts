import { describe, expect, it } from 'vitest';
import {
  ERROR_MAX_CHARS,
  HISTORY_MAX_CHARS,
  HISTORY_MAX_ENTRIES,
  RESULT_MAX_CHARS,
  addHistory,
  clearHistory,
  forgetServer,
  loadHistory,
  type NewHistoryEntry,
} from '../../src/app/history-store.ts';
import { memoryStorage } from './memory-storage.ts';

const A = 'https://a.example/mcp';
const B = 'https://b.example/mcp';

function call(n: number, more: Partial<NewHistoryEntry> = {}): NewHistoryEntry {
  return {
    at: 1_700_000_000_000 + n,
    kind: 'tool',
    target: `tool-${n}`,
    args: { n },
    durationMs: 12,
    outcome: 'ok',
    result: { content: [{ type: 'text', text: `result ${n}` }] },
    ...more,
  };
}

describe('history store', () => {
  it('keeps calls per server, newest first, with an id each', () => {
    const s = memoryStorage();
    addHistory(A, call(1), s);
    addHistory(B, call(2), s);
    const list = addHistory(A, call(3, { kind: 'resource', target: 'file:///x', args: undefined, result: { contents: [] } }), s);
    expect(list.map((e) => e.target)).toEqual(['file:///x', 'tool-1']);
    expect(loadHistory(A, s)).toEqual(list);
    expect(loadHistory(B, s).map((e) => e.target)).toEqual(['tool-2']);
    expect(new Set(list.map((e) => e.id)).size).toBe(2);
    expect(list[0]).not.toHaveProperty('args');
    expect(list[1]).toMatchObject({ at: 1_700_000_000_001, kind: 'tool', args: { n: 1 }, durationMs: 12, outcome: 'ok', result: { content: [{ type: 'text', text: 'result 1' }] } });
  });

  it('keeps at most 100 entries per server, dropping the oldest', () => {
    const s = memoryStorage();
    for (let n = 0; n < HISTORY_MAX_ENTRIES + 5; n++) addHistory(A, call(n), s);
    const list = loadHistory(A, s);
    expect(list).toHaveLength(HISTORY_MAX_ENTRIES);
    expect(list[0]!.target).toBe(`tool-${HISTORY_MAX_ENTRIES + 4}`);
    expect(list.at(-1)!.target).toBe('tool-5');
  });

  it('keeps about 200 KB per server, dropping the oldest', () => {
    const s = memoryStorage();
    const big = { content: [{ type: 'text', text: 'x'.repeat(40_000) }] };
    for (let n = 0; n < 10; n++) addHistory(A, call(n, { result: big }), s);
    const stored = s.map.get(`keyhole.history.v1 ${A}`)!;
    expect(stored.length).toBeLessThanOrEqual(HISTORY_MAX_CHARS);
    const list = loadHistory(A, s);
    expect(list).toHaveLength(4);
    expect(list.map((e) => e.target)).toEqual(['tool-9', 'tool-8', 'tool-7', 'tool-6']);
    expect(list.every((e) => e.result !== undefined && !e.truncated)).toBe(true);
  });

  it('keeps a result over 50 KB only as "truncated", and the call still counts', () => {
    const s = memoryStorage();
    const huge = { content: [{ type: 'text', text: 'y'.repeat(RESULT_MAX_CHARS) }] };
    const [entry] = addHistory(A, call(1, { result: huge }), s);
    expect(entry).not.toHaveProperty('result');
    expect(entry!.truncated).toBe(true);
    expect(loadHistory(A, s)[0]).toMatchObject({ target: 'tool-1', truncated: true, args: { n: 1 } });
    expect(s.map.get(`keyhole.history.v1 ${A}`)!.length).toBeLessThan(1_000);
  });

  it('leaves out arguments too large to keep, cuts a long error, and drops a result JSON cannot hold', () => {
    const s = memoryStorage();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const [e] = addHistory(A, call(1, { args: { blob: 'z'.repeat(RESULT_MAX_CHARS + 1) }, outcome: 'error', error: 'e'.repeat(10_000), result: cyclic }), s);
    expect(e).toMatchObject({ argsOmitted: true, truncated: true });
    expect(e).not.toHaveProperty('args');
    expect(e!.error).toHaveLength(ERROR_MAX_CHARS + 1);
    expect(loadHistory(A, s)[0]!.error!.endsWith('…')).toBe(true);
  });

  it('clears one server, and forgets a removed one, leaving the others', () => {
    const s = memoryStorage();
    addHistory(A, call(1), s);
    addHistory(B, call(2), s);
    clearHistory(A, s);
    expect(loadHistory(A, s)).toEqual([]);
    expect(loadHistory(B, s)).toHaveLength(1);
    forgetServer(B, s);
    expect(loadHistory(B, s)).toEqual([]);
    expect(s.map.size).toBe(0);
  });

  it('reads a corrupt store as empty, keeps the well-formed entries, and writes over it', () => {
    const s = memoryStorage();
    const key = `keyhole.history.v1 ${A}`;
    for (const junk of ['not json', '{"a":1}', 'null', '42']) {
      s.map.set(key, junk);
      expect(loadHistory(A, s)).toEqual([]);
    }
    s.map.set(key, JSON.stringify([null, { id: 'x' }, { id: 'ok', at: 1, kind: 'tool', target: 't', durationMs: 1, outcome: 'ok' }, { id: 'bad', at: 1, kind: 'shell', target: 't', durationMs: 1, outcome: 'ok' }]));
    expect(loadHistory(A, s).map((e) => e.id)).toEqual(['ok']);
    s.map.set(key, 'garbage');
    expect(addHistory(A, call(1), s)).toHaveLength(1);
    expect(loadHistory(A, s)).toHaveLength(1);
  });

  it('on a full storage drops the oldest and retries; when nothing fits it gives up without throwing', () => {
    const text = { content: [{ type: 'text', text: 'q'.repeat(1_000) }] };
    const s = memoryStorage(5_000);
    for (let n = 0; n < 10; n++) addHistory(A, call(n, { result: text }), s);
    const list = loadHistory(A, s);
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThan(10);
    expect(list[0]!.target).toBe('tool-9');

    const tiny = memoryStorage(100);
    let shown: ReturnType<typeof addHistory> = [];
    expect(() => (shown = addHistory(A, call(1), tiny))).not.toThrow();
    expect(shown.map((e) => e.target)).toEqual(['tool-1']);
    expect(loadHistory(A, tiny)).toEqual([]);
  });

  it('does not throw when storage cannot be read or written at all', () => {
    const broken = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(loadHistory(A, broken)).toEqual([]);
    expect(addHistory(A, call(1), broken)).toHaveLength(1);
    expect(() => clearHistory(A, broken)).not.toThrow();
  });
});

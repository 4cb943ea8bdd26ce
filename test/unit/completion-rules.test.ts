import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  COMPLETION_DEBOUNCE_MS,
  CompletionRequests,
  MAX_SUGGESTIONS,
  contextArguments,
  suggestionsOf,
  type Outcome,
} from '../../src/app/completion-rules.ts';

describe('suggestionsOf: what of a completion answer is shown', () => {
  it('keeps the server order, drops empty and repeated values', () => {
    expect(suggestionsOf({ values: ['French', '', 'Frisian', 'French'] })).toEqual({ values: ['French', 'Frisian'], more: undefined });
  });

  it('shows at most 100 values and counts the rest', () => {
    const values = Array.from({ length: 130 }, (_, i) => `v${i}`);
    const s = suggestionsOf({ values });
    expect(s.values).toHaveLength(MAX_SUGGESTIONS);
    expect(s.values.at(-1)).toBe('v99');
    expect(s.more).toBe('30 more');
  });

  it('says how many more from total, or that there are more from hasMore', () => {
    expect(suggestionsOf({ values: ['a', 'b'], total: 12, hasMore: true }).more).toBe('10 more');
    expect(suggestionsOf({ values: ['a', 'b'], hasMore: true }).more).toBe('More available');
    expect(suggestionsOf({ values: ['a', 'b'], total: 2, hasMore: false }).more).toBeUndefined();
    // A total smaller than what was sent is the server miscounting, not "-1 more".
    expect(suggestionsOf({ values: ['a', 'b'], total: 1 }).more).toBeUndefined();
  });
});

describe('contextArguments: the other filled-in arguments', () => {
  it('leaves out the argument being completed and empty ones', () => {
    expect(contextArguments({ text: 'Bonjour', language: 'fr', style: '' }, 'language')).toEqual({ text: 'Bonjour' });
  });
  it('is undefined when nothing else is filled in', () => {
    expect(contextArguments({ language: 'fr', style: '' }, 'language')).toBeUndefined();
  });
});

describe('CompletionRequests: debounced, newest answer only', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setUp() {
    const asked: string[] = [];
    const pending = new Map<string, { resolve: (v: string[]) => void; reject: (e: Error) => void }>();
    const shown: [string, Outcome<string[]>][] = [];
    const requests = new CompletionRequests<string[]>(
      (value) => {
        asked.push(value);
        return new Promise((resolve, reject) => pending.set(value, { resolve, reject }));
      },
      (value, outcome) => shown.push([value, outcome]),
    );
    return { asked, pending, shown, requests };
  }

  it('quick typing sends one request, after the pause', async () => {
    const { asked, pending, shown, requests } = setUp();
    for (const value of ['f', 'fr', 'fre', 'fren', 'frenc']) {
      requests.typed(value);
      vi.advanceTimersByTime(20);
    }
    expect(asked).toEqual([]);
    vi.advanceTimersByTime(COMPLETION_DEBOUNCE_MS);
    expect(asked).toEqual(['frenc']);
    pending.get('frenc')!.resolve(['French']);
    await vi.runAllTimersAsync();
    expect(shown).toEqual([['frenc', { ok: true, result: ['French'] }]]);
  });

  it('drops an older answer that arrives after a newer request was sent', async () => {
    const { pending, shown, requests } = setUp();
    requests.now('f');
    requests.now('fr');
    pending.get('fr')!.resolve(['French']);
    pending.get('f')!.resolve(['Finnish', 'French']);
    await vi.runAllTimersAsync();
    expect(shown).toEqual([['fr', { ok: true, result: ['French'] }]]);
  });

  it('drops an answer for a value the field no longer holds', async () => {
    const { asked, pending, shown, requests } = setUp();
    requests.now('fr');
    requests.typed('fre'); // not yet sent: the answer for "fr" is stale already
    pending.get('fr')!.resolve(['French']);
    await Promise.resolve();
    await Promise.resolve();
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(COMPLETION_DEBOUNCE_MS);
    expect(asked).toEqual(['fr', 'fre']);
  });

  it('passes errors on as outcomes (also a synchronous throw), and nothing after cancel', async () => {
    const shown: Outcome<string[]>[] = [];
    const requests = new CompletionRequests<string[]>(
      () => {
        throw new Error('no completions');
      },
      (_v, o) => shown.push(o),
    );
    requests.now('x');
    await vi.runAllTimersAsync();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.ok).toBe(false);

    const later = setUp();
    later.requests.now('a');
    later.requests.cancel();
    later.pending.get('a')!.resolve(['Ada']);
    later.requests.typed('b');
    later.requests.cancel();
    await vi.runAllTimersAsync();
    expect(later.shown).toEqual([]);
    expect(later.asked).toEqual(['a']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  CHILD_PAGE,
  EXPAND_ALL_BUDGET,
  OPEN_BUDGET,
  childPointer,
  children,
  expandAll,
  foldSummary,
  initiallyOpen,
  longerThan,
  openContainers,
  preview,
} from '../../src/app/panels/json-fold.ts';

describe('foldSummary', () => {
  it('counts keys and items, singular and plural', () => {
    expect(foldSummary({ a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe('{…} 5 keys');
    expect(foldSummary({ a: 1 })).toBe('{…} 1 key');
    expect(foldSummary(Array.from({ length: 12 }, (_, i) => i))).toBe('[…] 12 items');
    expect(foldSummary([null])).toBe('[…] 1 item');
  });
});

describe('childPointer (RFC 6901)', () => {
  it('escapes ~ and / in keys, and keys array items by index', () => {
    expect(childPointer('', 'result')).toBe('/result');
    expect(childPointer('/result', 'a/b~c')).toBe('/result/a~1b~0c');
    expect(childPointer('/content', 0)).toBe('/content/0');
  });
  it('keeps different keys apart that a naive join would mix up', () => {
    expect(childPointer(childPointer('', 'a'), 'b')).not.toBe(childPointer('', 'a/b'));
  });
});

describe('children', () => {
  it('gives the first children only', () => {
    expect(children({ a: 1, b: 2, c: 3 }, 2)).toEqual([['a', 1], ['b', 2]]);
    expect(children(['x', 'y'])).toEqual([[0, 'x'], [1, 'y']]);
  });
});

describe('initiallyOpen', () => {
  const message = {
    jsonrpc: '2.0',
    id: 3,
    result: { content: [{ type: 'text', text: 'hi', annotations: { audience: ['user'] } }], isError: false },
  };

  it('opens the top and two levels below it, and folds deeper ones', () => {
    const open = initiallyOpen(message);
    expect(open.has('')).toBe(true);
    expect(open.has('/result')).toBe(true);
    expect(open.has('/result/content')).toBe(true);
    expect(open.has('/result/content/0')).toBe(false);
    expect(open.has('/result/content/0/annotations')).toBe(false);
  });

  it('opens nothing for a plain value', () => {
    expect(initiallyOpen('text').size).toBe(0);
    expect(initiallyOpen(null).size).toBe(0);
  });

  it('keeps a large value quick to draw: containers past the line budget stay folded', () => {
    const big = { items: Array.from({ length: 50 }, (_, i) => ({ i, tags: Array.from({ length: 50 }, (_, j) => j) })) };
    const open = initiallyOpen(big);
    expect(open.has('')).toBe(true);
    expect(open.has('/items')).toBe(true);
    // Each item has 2 children: the 50 items fit (100 lines); their 50-long tag lists are a level deeper, folded.
    expect(open.has('/items/0')).toBe(true);
    expect(open.has('/items/0/tags')).toBe(false);
  });

  it('folds a level that would go over the budget', () => {
    // 3 + 3 × 200 drawn children on level 1 is more than the budget: only some of them open.
    const wide = { a: Array.from({ length: 200 }, () => [1, 2]), b: Array.from({ length: 200 }, () => [1]), c: Array.from({ length: 200 }, () => 1) };
    const { open, complete } = openContainers(wide, 3, OPEN_BUDGET);
    expect(complete).toBe(false);
    expect(open.has('/a')).toBe(true);
    expect([...open].length).toBeLessThan(1 + 3 + 200);
  });

  it('always opens the top, however large', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    const started = performance.now();
    const open = initiallyOpen(huge);
    expect(open.has('')).toBe(true);
    // Only a page of children is drawn, so only a page of them counts (and could open).
    expect([...open].filter((p) => p !== '').length).toBeLessThanOrEqual(CHILD_PAGE);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('openContainers and expandAll', () => {
  it('opens every level of a small value and says it did', () => {
    const value = { a: { b: { c: { d: [1, { e: 2 }] } } } };
    const { open, complete } = expandAll(value);
    expect(complete).toBe(true);
    expect([...open].sort()).toEqual(['', '/a', '/a/b', '/a/b/c', '/a/b/c/d', '/a/b/c/d/1']);
  });

  it('stops at the budget and says it did not open everything', () => {
    const value = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => ({ x: 1 })));
    const { open, complete } = expandAll(value);
    expect(complete).toBe(false);
    expect(open.size).toBeLessThan(EXPAND_ALL_BUDGET);
    expect(open.has('')).toBe(true);
  });

  it('opens nothing below the given levels', () => {
    expect([...openContainers({ a: { b: {} } }, 1, 100).open]).toEqual(['']);
  });
});

describe('preview', () => {
  it('writes compact JSON as JSON.stringify does', () => {
    const value = { name: 'echo', arguments: { text: 'a "quoted" word', n: 1, ok: true, none: null, skip: undefined }, list: [1, 'two'] };
    expect(preview(value, 1000)).toBe(JSON.stringify(value));
  });

  it('cuts at the limit with an ellipsis', () => {
    const out = preview({ text: 'x'.repeat(500) }, 40);
    expect(out).toHaveLength(40);
    expect(out.endsWith('…')).toBe(true);
    expect(out.startsWith('{"text":"xxx')).toBe(true);
  });

  it('costs little on a 2 MB value', () => {
    const big = { data: 'y'.repeat(2_000_000), rows: Array.from({ length: 50_000 }, (_, i) => ({ i })) };
    const started = performance.now();
    expect(preview(big, 200)).toHaveLength(200);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('longerThan', () => {
  it('agrees with the length of the JSON, roughly, and stops early', () => {
    expect(longerThan({ a: 'x'.repeat(10) }, 100)).toBe(false);
    expect(longerThan({ a: 'x'.repeat(1000) }, 100)).toBe(true);
    expect(longerThan(Array.from({ length: 1000 }, () => 1), 1000)).toBe(true);
    expect(longerThan(Array.from({ length: 10 }, () => 1), 1000)).toBe(false);
  });
});

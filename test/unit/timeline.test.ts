import { describe, expect, it } from 'vitest';
import type { TimelineStep } from '../../src/protocol.ts';
import { appendStep, LEFT_OUT, recordedSteps, withdrawStep } from '../../src/sw/rules/timeline.ts';

const fail = (at: number): TimelineStep => ({ at, step: 'mcp', outcome: 'fail', detail: 'http://localhost:1/mcp could not be reached.' });
const looking = (at: number): TimelineStep => ({ at, step: 'mcp', outcome: 'info', detail: 'No answer from http://localhost:1/mcp; finding out why.' });
const flow = (n: number): TimelineStep[] => Array.from({ length: n }, (_, i) => ({ at: i, step: `s${i}`, outcome: 'ok' as const, detail: `step ${i}` }));

function appendAll(steps: TimelineStep[], more: TimelineStep[], limits = { head: 3, tail: 4 }): TimelineStep[] {
  return more.reduce((list, s) => appendStep(list, s, limits), steps);
}

describe('a step that repeats the one before it (issue 20, item 8)', () => {
  it('becomes one line with a count and the time of the last', () => {
    const steps = appendAll([], [fail(1), fail(2), fail(3)]);
    expect(steps).toEqual([{ ...fail(1), repeat: 3, lastAt: 3 }]);
    expect(recordedSteps(steps)).toBe(3);
  });

  it('only when step, outcome, detail, URL and document are all the same', () => {
    const base = fail(1);
    for (const other of [
      { ...base, at: 2, step: 'prm' },
      { ...base, at: 2, outcome: 'info' as const },
      { ...base, at: 2, detail: 'something else' },
      { ...base, at: 2, url: 'https://x.example/' },
      { ...base, at: 2, document: { a: 1 } },
    ]) {
      expect(appendStep([base], other)).toHaveLength(2);
    }
    expect(appendStep([{ ...base, document: { a: 1 } }], { ...base, at: 2, document: { a: 1 } })).toHaveLength(1);
  });

  it('does not fold steps that are apart', () => {
    const steps = appendAll([], [fail(1), looking(2), fail(3)]);
    expect(steps.map((s) => s.repeat)).toEqual([undefined, undefined, undefined]);
  });

  it('leaves its input as it was', () => {
    const before = [fail(1)];
    appendStep(before, fail(2));
    expect(before).toEqual([fail(1)]);
  });
});

describe('"finding out why" gives way to its outcome', () => {
  it('retried attempts that each looked, then failed, end as one line', () => {
    let steps: TimelineStep[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      // Two requests of one attempt fail at once: both look, then both settle.
      const t = attempt * 10;
      steps = appendAll(steps, [looking(t), looking(t + 1)]);
      for (const at of [t + 2, t + 3]) {
        steps = withdrawStep(steps, looking(0));
        steps = appendStep(steps, fail(at));
      }
    }
    expect(steps).toEqual([{ ...fail(2), repeat: 10, lastAt: 43 }]);
  });

  it('takes one count off a repeated line, and drops the count at one', () => {
    const two = appendAll([], [looking(1), looking(2)]);
    expect(withdrawStep(two, looking(0))).toEqual([looking(1)]);
    const three = appendAll([], [looking(1), looking(2), looking(3)]);
    expect(withdrawStep(three, looking(0))).toEqual([{ ...looking(1), repeat: 2, lastAt: 3 }]);
  });

  it('leaves the list alone when the step is not there', () => {
    expect(withdrawStep([fail(1)], looking(0))).toEqual([fail(1)]);
  });
});

describe('a long timeline keeps the first steps of the flow and the latest ones', () => {
  const limits = { head: 3, tail: 4 };

  it('is untouched up to head + tail lines', () => {
    expect(appendAll([], flow(7), limits)).toEqual(flow(7));
  });

  it('then says how many steps it left out, with their times', () => {
    const steps = appendAll([], flow(10), limits);
    expect(steps.map((s) => s.step)).toEqual(['s0', 's1', 's2', LEFT_OUT, 's6', 's7', 's8', 's9']);
    expect(steps[3]).toMatchObject({ outcome: 'info', repeat: 3, at: 3, lastAt: 5, detail: '3 earlier steps left out (the first 3 and the latest 4 are kept).' });
    expect(recordedSteps(steps)).toBe(10);
  });

  it('counts repeated lines it leaves out by what they stand for, and stays bounded', () => {
    let steps = appendAll([], flow(3), limits);
    for (let i = 0; i < 200; i++) {
      steps = appendStep(steps, i % 2 ? fail(100 + i) : looking(100 + i), limits);
      steps = appendStep(steps, fail(100 + i), limits);
    }
    expect(steps.length).toBeLessThanOrEqual(3 + 1 + 4);
    expect(recordedSteps(steps)).toBe(3 + 400);
    expect(steps[3]!.step).toBe(LEFT_OUT);
  });

  it('one step left out is said in the singular', () => {
    const steps = appendAll([], flow(8), limits);
    expect(steps[3]!.detail).toBe('1 earlier step left out (the first 3 and the latest 4 are kept).');
  });
});

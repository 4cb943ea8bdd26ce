/**
 * The authorization timeline's record keeping: a step that repeats the one before it (a card
 * retrying an unreachable server) becomes one line with a count, and a long timeline keeps the
 * first steps of the flow and the latest ones, with one line saying how many were left out.
 * Pure functions: each returns a new list and leaves its input as it was.
 */
import type { TimelineStep } from '../../protocol.ts';

export interface TimelineLimits {
  /** The first steps are kept: they are the flow (challenge, discovery, registration, tokens). */
  head: number;
  /** And the latest ones. */
  tail: number;
}

export const TIMELINE_LIMITS: TimelineLimits = { head: 12, tail: 30 };

/** The step name of the line standing for the steps left out. */
export const LEFT_OUT = 'left-out';

/** Same step, outcome, sentence, URL and document: a repetition, whenever it happened. */
export function sameStep(a: TimelineStep, b: TimelineStep): boolean {
  return (
    a.step === b.step &&
    a.outcome === b.outcome &&
    a.detail === b.detail &&
    a.url === b.url &&
    JSON.stringify(a.document) === JSON.stringify(b.document)
  );
}

/** How many recorded steps the lines stand for (what "n steps" should count). */
export function recordedSteps(steps: readonly TimelineStep[]): number {
  return steps.reduce((n, s) => n + (s.repeat ?? 1), 0);
}

/** Appends `step`, folding it into the last line when it repeats it, then bounds the list. */
export function appendStep(steps: readonly TimelineStep[], step: TimelineStep, limits: TimelineLimits = TIMELINE_LIMITS): TimelineStep[] {
  const last = steps.at(-1);
  if (last && last.step !== LEFT_OUT && sameStep(last, step)) {
    return [...steps.slice(0, -1), { ...last, repeat: (last.repeat ?? 1) + (step.repeat ?? 1), lastAt: step.lastAt ?? step.at }];
  }
  return bound([...steps, step], limits);
}

/**
 * Takes back the latest occurrence of `step` (a step that only said "in progress", now settled
 * by its outcome): one count off its line, or the line itself. Lines that meet where it was are
 * folded together when they are the same step, so settled retries still count as one line.
 */
export function withdrawStep(steps: readonly TimelineStep[], step: TimelineStep): TimelineStep[] {
  const i = steps.findLastIndex((s) => s.step !== LEFT_OUT && sameStep(s, step));
  if (i < 0) return [...steps];
  const line = steps[i]!;
  if ((line.repeat ?? 1) > 1) {
    const repeat = line.repeat! - 1;
    const { repeat: _r, lastAt: _l, ...rest } = line;
    return steps.map((s, j) => (j === i ? (repeat > 1 ? { ...line, repeat } : rest) : s));
  }
  const before = steps.slice(0, i);
  const after = steps.slice(i + 1);
  const prev = before.at(-1);
  const next = after[0];
  if (prev && next && prev.step !== LEFT_OUT && next.step !== LEFT_OUT && sameStep(prev, next)) {
    const merged: TimelineStep = { ...prev, repeat: (prev.repeat ?? 1) + (next.repeat ?? 1), lastAt: next.lastAt ?? next.at };
    return [...before.slice(0, -1), merged, ...after.slice(1)];
  }
  return [...before, ...after];
}

/**
 * Keeps the first `head` lines and the latest `tail`; what lies between becomes (or joins) one
 * `left-out` line, which counts the recorded steps it stands for and spans their times.
 */
function bound(steps: TimelineStep[], { head, tail }: TimelineLimits): TimelineStep[] {
  const first = steps.slice(0, head);
  const rest = steps.slice(head);
  const marker = rest[0]?.step === LEFT_OUT ? rest.shift() : undefined;
  if (rest.length <= tail) return steps;
  const dropped = rest.slice(0, rest.length - tail);
  const count = (marker?.repeat ?? 0) + recordedSteps(dropped);
  const lastDropped = dropped.at(-1)!;
  const line: TimelineStep = {
    at: marker?.at ?? dropped[0]!.at,
    step: LEFT_OUT,
    outcome: 'info',
    detail: `${count} earlier step${count === 1 ? '' : 's'} left out (the first ${head} and the latest ${tail} are kept).`,
    repeat: count,
    lastAt: lastDropped.lastAt ?? lastDropped.at,
  };
  return [...first, line, ...rest.slice(rest.length - tail)];
}

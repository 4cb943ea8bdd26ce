/**
 * Rules for argument completion (MCP server/utilities/completion, `completion/complete`), kept
 * free of the DOM so they can be tested alone: when a request is sent as the person types, which
 * answer is still worth showing, and what of an answer is shown.
 */

/** Quiet time after the last keystroke before the server is asked: quick typing sends one request. */
export const COMPLETION_DEBOUNCE_MS = 250;

/** The spec caps `completion.values` at 100 per answer; more is never drawn. */
export const MAX_SUGGESTIONS = 100;

/** The `completion` object of a CompleteResult. */
export interface Completion {
  values: string[];
  total?: number;
  hasMore?: boolean;
}

export interface Suggestions {
  /** Distinct, non-empty, at most MAX_SUGGESTIONS, in the server's order. */
  values: string[];
  /** "12 more" when the server says how many it left out, "More available" when it only says some; else undefined. */
  more: string | undefined;
}

/** What of a server's answer is shown. */
export function suggestionsOf(completion: Completion): Suggestions {
  const distinct = [...new Set(completion.values.filter((v) => typeof v === 'string' && v !== ''))];
  const values = distinct.slice(0, MAX_SUGGESTIONS);
  const { total } = completion;
  const left = Math.max(
    distinct.length - values.length,
    typeof total === 'number' && Number.isFinite(total) ? Math.floor(total) - values.length : 0,
  );
  const more = left > 0 ? `${left} more` : completion.hasMore ? 'More available' : undefined;
  return { values, more };
}

/**
 * `context.arguments` of a request: the other arguments the person already filled in (MCP
 * completion: "previously-resolved variables"); undefined when there are none.
 */
export function contextArguments(filled: Readonly<Record<string, string>>, except: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(filled)) if (name !== except && value !== '') out[name] = value;
  return Object.keys(out).length ? out : undefined;
}

export type Outcome<T> = { ok: true; result: T } | { ok: false; error: unknown };

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Asks for completions of the value being typed: after COMPLETION_DEBOUNCE_MS without a keystroke
 * (or at once, when the person asks for the list), and passes on only the answer to the newest
 * request, and only while the field still holds the value it was asked for. An older answer that
 * arrives late is dropped, never drawn over a newer one.
 */
export class CompletionRequests<T> {
  private timer: unknown;
  /** Number of the newest request sent. */
  private sent = 0;
  /** The value the field holds now (what an answer must be for). */
  private current: string | undefined;

  constructor(
    private readonly ask: (value: string) => Promise<T>,
    private readonly answer: (value: string, outcome: Outcome<T>) => void,
    private readonly delayMs = COMPLETION_DEBOUNCE_MS,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** The field now holds `value`: ask once typing pauses. */
  typed(value: string): void {
    this.current = value;
    this.stopTimer();
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.send(value);
    }, this.delayMs);
  }

  /** Ask for `value` now (the person opened the list). */
  now(value: string): void {
    this.current = value;
    this.stopTimer();
    this.send(value);
  }

  /** Nothing pending is wanted any more (the field was left, the element removed). */
  cancel(): void {
    this.stopTimer();
    this.current = undefined;
    this.sent++;
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private send(value: string): void {
    const id = ++this.sent;
    const deliver = (outcome: Outcome<T>) => {
      if (id === this.sent && value === this.current) this.answer(value, outcome);
    };
    let asked: Promise<T>;
    try {
      asked = this.ask(value);
    } catch (error) {
      asked = Promise.reject(error);
    }
    asked.then(
      (result) => deliver({ ok: true, result }),
      (error: unknown) => deliver({ ok: false, error }),
    );
  }
}

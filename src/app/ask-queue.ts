/**
 * What a server asks of the person (elicitation, sampling), oldest first, each until it is
 * answered or the server withdraws it (its request's cancellation).
 */
import type { ReactiveControllerHost } from 'lit';
import type { Ask } from './panels/ask-view.ts';

/** A question, with the person's calls that were running when it came (one of them asked). */
export type QueuedAsk = Ask & { origin: string[] };

export class AskQueue {
  asks: QueuedAsk[] = [];
  private seq = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Told once the person answered, with the calls that were running (to show their result). */
    private readonly answered: (origin: string[]) => void,
  ) {}

  /** Puts a question before the person; resolves with the answer, rejects on a refusal or withdrawal. */
  enqueue<T>(kind: Ask['kind'], params: unknown, signal: AbortSignal, origin: string[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = ++this.seq;
      const done = () => {
        this.asks = this.asks.filter((a) => a.id !== id);
        signal.removeEventListener('abort', onAbort);
        this.host.requestUpdate();
      };
      const onAbort = () => {
        done();
        reject(signal.reason instanceof Error ? signal.reason : new Error('The server withdrew its request.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const answer = (result: unknown) => {
        done();
        this.answered(origin);
        if (result instanceof Error) reject(result);
        else resolve(result as T);
      };
      this.asks = [...this.asks, { id, kind, params, answer, origin } as QueuedAsk];
      this.host.requestUpdate();
    });
  }

  /** Disconnected: nothing is asked any more (the session that asked is closed). */
  clear(): void {
    this.asks = [];
    this.host.requestUpdate();
  }
}

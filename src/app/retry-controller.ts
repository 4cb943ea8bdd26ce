/**
 * Tries an unreachable server again by itself, waiting longer each time, while the page is
 * visible. Only "nothing answered" is retried: any other error may be a rule a server broke,
 * and the person decides (a CORS or TLS diagnosis from the worker is such an error too).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * An error that means a server (the MCP server, or an authorization server during discovery or
 * refresh) gave no answer at all, or none in time (the worker's and the browser's wording).
 */
const UNREACHABLE = /could not be reached|did not answer within|^Failed to fetch|^NetworkError/i;
/** Waits between automatic retries, in seconds; the last repeats. */
const RETRY_DELAYS_S = [3, 5, 10, 30, 60];

export function isUnreachable(error: string | undefined): boolean {
  return !!error && UNREACHABLE.test(error);
}

export class RetryController implements ReactiveController {
  /** When the next try is due (epoch ms), while one is scheduled: the card announces it. */
  retryAt: number | undefined;
  private retries = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The error the card shows now, if any. */
    private readonly currentError: () => string | undefined,
    /** Whether the server is connected (a success resets the waits). */
    private readonly connected: () => boolean,
    private readonly retry: () => void,
  ) {
    host.addController(this);
  }

  get unreachable(): boolean {
    return isUnreachable(this.currentError());
  }

  hostUpdated(): void {
    if (this.unreachable) this.schedule();
    else {
      // The worker's diagnosis may have replaced a page-side "could not be reached" (CORS, TLS):
      // such an error is not retried, so no retry stays announced.
      if (this.timer !== undefined) this.cancel();
      if (this.connected()) this.retries = 0;
    }
  }

  hostDisconnected(): void {
    this.cancel();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const delay = RETRY_DELAYS_S[Math.min(this.retries, RETRY_DELAYS_S.length - 1)]!;
    this.retryAt = Date.now() + delay * 1000;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retryAt = undefined;
      if (!this.unreachable) return this.host.requestUpdate();
      if (document.visibilityState !== 'visible') return this.schedule();
      this.retries++;
      this.retry();
    }, delay * 1000);
    this.host.requestUpdate();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    const announced = this.retryAt !== undefined;
    this.timer = undefined;
    this.retryAt = undefined;
    if (announced) this.host.requestUpdate();
  }
}

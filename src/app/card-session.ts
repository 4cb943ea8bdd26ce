/**
 * A server card's MCP session: opened when the worker says the connection is usable, closed when
 * it is not, held back while a new version of Keyhole takes over. Opening first loads the
 * workbench's module, which brings the MCP SDK client (workbench-view.ts): the page's first load
 * carries neither, and every card shares the one fetch.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadOnce } from './load-once.ts';
import { McpFailure } from './mcp-failure.ts';
import type { McpSession, ProtocolChoice, SessionHooks } from './mcp-session.ts';
import type { WireLog } from './wire-log.ts';

export type Workbench = typeof import('./workbench-view.ts');

/** The workbench's chunk, fetched once for every card. */
const loadWorkbench = loadOnce<Workbench>(() => import('./workbench-view.ts'));

export interface CardSessionOptions {
  serverUrl(): string;
  protocol(): ProtocolChoice;
  hooks: SessionHooks;
  wire: WireLog;
  /** The session is open (the tools are listed). */
  opened(session: McpSession): void;
  /** The page's own failure to open it, in words (a 401/403 is the worker's to explain, and is not reported). */
  failed(message: string): void;
}

export class CardSession implements ReactiveController {
  state: 'idle' | 'opening' | 'open' = 'idle';
  session: McpSession | undefined;
  /** The workbench's module, once loaded (until then the card draws without tabs). */
  workbench: Workbench | undefined;
  /** A new version is taking over: no session opens until it has. */
  paused = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: CardSessionOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    void this.close();
  }

  private set(state: CardSession['state']): void {
    this.state = state;
    this.host.requestUpdate();
  }

  async open(): Promise<void> {
    if (this.state === 'opening' || this.paused) return;
    // Connect on a card whose session is open (settings changed, the URL added again): one session only.
    if (this.state === 'open') await this.close();
    this.set('opening');
    const o = this.options;
    let session: McpSession;
    try {
      this.workbench = await loadWorkbench();
      session = new this.workbench.McpSession(o.serverUrl(), o.protocol(), o.hooks, o.wire);
    } catch (err) {
      this.set('idle');
      o.failed(`Keyhole could not load its workbench (${(err as Error).message}). Reload the page to try again.`);
      return;
    }
    this.session = session;
    try {
      await session.open();
      if (this.session !== session) return;
      this.set('open');
      o.opened(session);
    } catch (err) {
      if (this.session !== session) return;
      this.session = undefined;
      this.set('idle');
      // A 401/403 is explained by the worker's state (needs authorization, or an error from
      // discovery); anything else is the page's own failure to report.
      if (!(err instanceof McpFailure && err.kind === 'auth')) o.failed((err as Error).message);
    }
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (this.state !== 'idle') this.set('idle');
    await s?.close();
  }

  /** A new version is taking over: end the session (and its streams) and do not reopen it yet. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.close();
  }
}

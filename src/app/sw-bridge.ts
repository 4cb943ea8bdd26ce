/**
 * The page's side of the one door to the service worker: registration (workbox-window),
 * waiting for control, commands, and the stream of connection views.
 */
import { messageSW, Workbox } from 'workbox-window';
import { workerScriptUrl } from './trusted-types.ts';
import { isViewsMessage, type Command, type CommandResult, type ConnectionView } from '../protocol.ts';

/** Tabs of this app tell each other that a new version is about to take over. */
const UPDATE_CHANNEL = 'keyhole-update';

/** What a tab does around a version switch (see onVersionSwitch). */
export interface SwitchHooks {
  /** Ends every long-lived stream through the old worker (and so every session). */
  pause(): Promise<void>;
  /** Opens the sessions again under the new worker (tabs that do not reload). */
  resume(): void;
}

/** Well under Chromium's 30 s idle limit, so a worker holding tokens in memory stays alive while a tab is open. */
const KEEPALIVE_MS = 20_000;

export class SwBridge {
  private wb: Workbox | undefined;
  private listeners = new Set<(views: ConnectionView[]) => void>();
  private updateListeners = new Set<() => void>();
  private updating = false;
  private switchHooks: SwitchHooks | undefined;
  private readonly channel = new BroadcastChannel(UPDATE_CHANNEL);

  /**
   * A new version activates only once the old one has no fetch left in flight, and a session's
   * event streams (a 2026-07-28 `subscriptions/listen`, a 2025 GET stream) never end by
   * themselves. So before the switch every tab ends its streams, and opens them again after.
   */
  onVersionSwitch(hooks: SwitchHooks): void {
    this.switchHooks = hooks;
    this.channel.onmessage = (event: MessageEvent) => {
      if (event.data !== 'pause-for-update' || this.updating) return;
      void hooks.pause();
      navigator.serviceWorker.addEventListener('controllerchange', () => hooks.resume(), { once: true });
    };
  }

  /**
   * Calls `listener` when a new version of the worker is installed and waiting. It waits until
   * the person chooses to reload (applyUpdate), so an update never cuts a running call.
   */
  onUpdateReady(listener: () => void): void {
    this.updateListeners.add(listener);
  }

  /** Lets the waiting version take over, then reloads this page under it. */
  async applyUpdate(): Promise<void> {
    if (this.updating) return;
    this.updating = true;
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    this.channel.postMessage('pause-for-update');
    await this.switchHooks?.pause();
    const waiting = (await navigator.serviceWorker.getRegistration())?.waiting;
    if (!waiting) {
      location.reload();
      return;
    }
    // The same message workbox-window's messageSkipWaiting sends, to whichever version waits
    // (possibly found by another tab, so not necessarily this page's Workbox instance's).
    waiting.postMessage({ type: 'SKIP_WAITING' } satisfies Command);
  }

  /** Registers the worker and resolves once it controls this page. */
  async start(): Promise<void> {
    if (!('serviceWorker' in navigator)) {
      throw new Error('This browser does not offer service workers (or they are disabled, e.g. in private mode). Keyhole keeps tokens in one, so it cannot run here.');
    }
    this.wb = new Workbox(workerScriptUrl(), { scope: './' });
    // Listened to directly rather than through the Workbox instance, which only relays messages
    // from workers this tab registered; a worker updated from another tab must be heard too.
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
      if (isViewsMessage(event.data)) this.emit(event.data.views);
    });
    this.wb.addEventListener('waiting', () => this.updateReady());
    const registration = await this.wb.register();
    await navigator.serviceWorker.ready;
    // A version already waiting when this page loaded (found by another tab, or before a reload).
    if (registration?.waiting && registration.active) this.updateReady();
    if (!navigator.serviceWorker.controller) {
      // First visit or hard reload: ask the active worker to claim this page, so that no MCP
      // request leaves without passing through it.
      const controlled = new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
      );
      await this.send({ type: 'claim' });
      await controlled;
    }
    setInterval(() => void this.send({ type: 'keepalive' }).catch(() => {}), KEEPALIVE_MS);
  }

  async send(command: Command): Promise<CommandResult> {
    const registration = await navigator.serviceWorker.ready;
    const target = navigator.serviceWorker.controller ?? registration.active;
    if (!target) throw new Error('The service worker is not running.');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = await Promise.race([
      messageSW(target, command) as Promise<CommandResult>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('The service worker did not answer within 60 s.')), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    this.emit(result.views);
    return result;
  }

  onViews(listener: (views: ConnectionView[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private updateReady(): void {
    for (const l of this.updateListeners) l();
  }

  private emit(views: ConnectionView[]): void {
    for (const l of this.listeners) l(views);
  }
}

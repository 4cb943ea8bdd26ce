/**
 * The callback page is normally never shown: the service worker answers the navigation to it.
 * It loads only when the worker did not control the navigation (a hard reload, a worker being
 * replaced). Then it hands its URL to the worker, removes the code from the address bar and
 * history, and goes back to the app.
 */
import { Workbox } from 'workbox-window';
import type { CommandResult } from '../protocol.ts';
import { workerScriptUrl } from './trusted-types.ts';

const status = document.getElementById('status')!;
const url = location.href;
// The code must not stay in history whatever happens next.
history.replaceState(null, '', new URL('./callback.html', location.href).pathname);

async function main(): Promise<void> {
  if (!('serviceWorker' in navigator)) throw new Error('This browser has no service workers; Keyhole cannot work here.');
  const wb = new Workbox(workerScriptUrl(), { scope: './' });
  await wb.register();
  await navigator.serviceWorker.ready;
  const result = (await wb.messageSW({ type: 'callback', url })) as CommandResult;
  if (!result.ok) throw new Error(result.error);
  location.replace(result.redirectTo ?? './');
}

main().catch((err: unknown) => {
  status.textContent = `Authorization could not be finished: ${(err as Error).message}`;
  status.setAttribute('role', 'alert');
});

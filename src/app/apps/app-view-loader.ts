/**
 * `<mcp-app-view>` (app-view.ts, the MCP Apps host and ext-apps' AppBridge) is defined with
 * `import()` the first time a panel draws an app, not with the workbench: most servers have no
 * app. The element drawn before its code arrives upgrades when it does, and Lit applies the
 * properties bound to it meanwhile (ReactiveElement keeps an element's own properties set before
 * upgrade and sets them again on its first update).
 */
import { loadOnce } from '../load-once.ts';

const loadAppView = loadOnce(() =>
  import('./app-view.ts').catch((err: unknown) => {
    console.error('Keyhole could not load the MCP Apps host:', err);
    throw err;
  }),
);

/** Returns `template` (which draws an `<mcp-app-view>`) and fetches the element's code once; a failed fetch is tried again at the next draw. */
export function withAppView<T>(template: T): T {
  if (!customElements.get('mcp-app-view')) void loadAppView().catch(() => {});
  return template;
}

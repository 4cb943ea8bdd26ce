/** Whether this build can run MCP Apps, and where its sandbox proxy lives (KEYHOLE_SANDBOX_URL). */
export type AppsAvailability = { on: true; url: URL } | { on: false; reason: string };

export function appsAvailability(configured = __KEYHOLE_SANDBOX_URL__, here = location.origin): AppsAvailability {
  if (!configured) {
    return {
      on: false,
      reason:
        'MCP Apps are off: this build of Keyhole has no sandbox origin. An app must run on another origin than Keyhole’s; build with KEYHOLE_SANDBOX_URL set to where the sandbox site is published (docs/hosting.md).',
    };
  }
  const url = new URL(configured);
  if (url.origin === here) return { on: false, reason: 'MCP Apps are off: the sandbox origin is Keyhole’s own origin, and an app must run on another.' };
  return { on: true, url };
}

/** The proxy page's address for this host: it accepts messages from this origin only. */
export function sandboxFrameUrl(url: URL, here = location.origin): string {
  const frame = new URL(url);
  frame.searchParams.set('host', here);
  return frame.href;
}

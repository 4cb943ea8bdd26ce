// Tools whose effect is a notification: log-burst (logging), bump-counter (resource updates
// of demo://counter) and toggle-extra-tool (tools list changed; registers or removes `extra`).

import { LOG_LEVEL_META_KEY, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { COUNTER_URI } from './resources.mjs';
import { textResult } from './tool-results.mjs';

/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */

/** Log levels `log-burst` sends, in order. */
const LOG_BURST_LEVELS = /** @type {const} */ (['debug', 'info', 'notice', 'warning', 'error']);

/** Per-instance `extra` tool registrations (legacy sessions keep theirs across toggles). */
/** @type {WeakMap<McpServer, import('@modelcontextprotocol/server').RegisteredTool>} */
const extraTools = new WeakMap();

/**
 * Registers or removes the `extra` tool on one instance (the SDK then sends
 * `notifications/tools/list_changed` on its session when connected).
 * @param {McpServer} server
 * @param {boolean} enabled
 */
export function setExtraTool(server, enabled) {
  const registered = extraTools.get(server);
  if (enabled && !registered) {
    extraTools.set(
      server,
      server.registerTool(
        'extra',
        { title: 'Extra', description: 'Appears and disappears with toggle-extra-tool.' },
        async () => ({ content: [{ type: 'text', text: 'extra' }] }),
      ),
    );
  } else if (!enabled && registered) {
    registered.remove();
    extraTools.delete(server);
  }
}

/**
 * @param {McpServer} server
 * @param {import('./server-instance.mjs').DemoState} demo
 */
export function registerNotificationTools(server, demo) {
  server.registerTool(
    'log-burst',
    {
      title: 'Log burst',
      description:
        'Sends one log message per level (debug to error), filtered by the level the client set ' +
        '(logging/setLevel on 2025-11-25; the request _meta log level on 2026-07-28).',
    },
    async (ctx) => {
      // On 2026-07-28 the SDK sends log messages only for requests whose _meta names a level.
      const envelope = /** @type {Record<string, unknown> | undefined} */ (ctx.mcpReq.envelope);
      if (envelope && PROTOCOL_VERSION_META_KEY in envelope && !(LOG_LEVEL_META_KEY in envelope)) {
        return textResult(`Sent no log messages: this request's _meta has no ${LOG_LEVEL_META_KEY}`);
      }
      for (const level of LOG_BURST_LEVELS) await ctx.mcpReq.log(level, `log at ${level}`, 'demo');
      return textResult(`Logged ${LOG_BURST_LEVELS.length} messages (those below the client's level are filtered out)`);
    },
  );

  server.registerTool(
    'bump-counter',
    { title: 'Bump counter', description: `Increments ${COUNTER_URI} and notifies its subscribers.` },
    async () => textResult(`Counter is now ${demo.bumpCounter()}`),
  );

  server.registerTool(
    'toggle-extra-tool',
    { title: 'Toggle extra tool', description: 'Registers or removes the tool `extra` (tools list changed).' },
    async () => textResult(demo.toggleExtra() ? 'Tool extra registered' : 'Tool extra removed'),
  );

  if (demo.extraEnabled()) setExtraTool(server, true);
}

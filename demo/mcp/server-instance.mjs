// One MCP server instance with every demo tool, resource and prompt. The stateless
// 2026-07-28 handler builds one per request, the 2025-11-25 leg one per session.

import { McpServer } from '@modelcontextprotocol/server';
import { registerAppTools } from './apps.mjs';
import { registerAskTools } from './ask-tools.mjs';
import { registerBasicTools } from './basic-tools.mjs';
import { registerContentTools } from './content-tools.mjs';
import { SERVER_ICONS } from './icons.mjs';
import { registerMrtrTools } from './mrtr-tools.mjs';
import { registerNotificationTools } from './notification-tools.mjs';
import { paginate } from './pagination.mjs';
import { registerPrompts } from './prompts.mjs';
import { registerResources } from './resources.mjs';
import { TASKS_EXTENSION, registerTaskTools } from './tasks.mjs';

/**
 * Process state shared by every instance one `startMcpServer` builds (both revisions).
 * @typedef {object} DemoState
 * @property {() => number} counter current value of demo://counter
 * @property {() => number} bumpCounter increments the counter, notifies subscribers, returns the new value
 * @property {() => boolean} extraEnabled whether the `extra` tool is registered
 * @property {() => boolean} toggleExtra registers or removes `extra` everywhere, notifies, returns the new state
 * @property {number} [pageSize] items per page of the list methods (undefined: no pagination)
 */

/**
 * Builds one MCP server instance with the demo's tools, resources and prompts.
 * Used for every modern request and for every legacy session.
 *
 * @param {{ admin: string }} scopes
 * @param {DemoState} demo
 * @returns {McpServer}
 */
export function buildMcpServer(scopes, demo) {
  const server = new McpServer(
    { name: 'keyhole-demo-mcp', version: '0.1.0', icons: SERVER_ICONS },
    {
      instructions:
        'Keyhole demo server. Tools: echo, add, slow-count, admin-report, order-form, sample-content, failing-tool, ' +
        'ask-name, open-link, ask-model, list-roots, plan-trip, draft-reply, route-request, log-burst, bump-counter, toggle-extra-tool (and extra when toggled on). ' +
        'Resources: demo://readme, demo://logo.png, demo://counter (subscribable); templates demo://greeting/{name}, ' +
        'demo://square/{n}, demo://swatch/{rgb}. Prompts: greet, summarize, translate. ' +
        'To see resource updates, follow demo://counter (resources/subscribe on 2025-11-25, subscriptions/listen on ' +
        '2026-07-28), then call bump-counter.',
      capabilities: {
        logging: {},
        resources: { subscribe: true, listChanged: true },
        tools: { listChanged: true },
        prompts: { listChanged: true },
        // Answered by the SDK from completable() prompt arguments and template `complete` callbacks.
        completions: {},
        // The Tasks extension (SEP-2663): long-task answers with a task handle (tasks.mjs).
        extensions: { [TASKS_EXTENSION]: {} },
      },
    },
  );

  registerBasicTools(server, scopes);
  registerContentTools(server);
  registerAskTools(server);
  registerMrtrTools(server);
  registerNotificationTools(server, demo);
  registerResources(server, demo);
  registerPrompts(server);
  registerTaskTools(server);
  registerAppTools(server);

  if (demo.pageSize !== undefined) paginate(server, demo.pageSize);

  return server;
}

// MCP Apps (SEP-1865) on the demo server, registered with the extension's server helpers:
// - sum-app: a tool with an app (ui://keyhole-demo/sum): the app shows the call's input and
//   result, and its form calls app-add, which only the app may call (visibility ["app"]);
// - misbehaving-app, only with KEYHOLE_DEMO_MISBEHAVING_APP=1: an app that tries everything an app
//   must not be able to do (see apps-html.mjs); `target` is the URL it tries to fetch directly.

import { RESOURCE_MIME_TYPE, registerAppResource, registerAppTool } from '@modelcontextprotocol/ext-apps/server';
import * as z from 'zod';
import { MISBEHAVING_APP, SUM_APP } from './apps-html.mjs';

export const SUM_APP_URI = 'ui://keyhole-demo/sum';
export const MISBEHAVING_APP_URI = 'ui://keyhole-demo/misbehaving';

/** The switch: read when an instance is built, so a test can turn it on before connecting. */
export function misbehavingAppOn() {
  return process.env.KEYHOLE_DEMO_MISBEHAVING_APP === '1';
}

/** @param {import('@modelcontextprotocol/server').McpServer} server */
export function registerAppTools(server) {
  registerAppResource(server, 'sum-app', SUM_APP_URI, { title: 'Sum app', description: 'The app of sum-app', mimeType: RESOURCE_MIME_TYPE }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: SUM_APP, _meta: { ui: { prefersBorder: true } } }],
  }));

  registerAppTool(
    server,
    'sum-app',
    {
      title: 'Sum with an app',
      description: 'Adds two numbers and shows an app that draws the sum and adds more.',
      inputSchema: z.object({ a: z.number().default(20), b: z.number().default(22) }),
      // For the person (and a model), not for apps: its own app cannot call it again.
      _meta: { ui: { resourceUri: SUM_APP_URI, visibility: ['model'] } },
    },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: `${a} + ${b} = ${a + b}` }],
      structuredContent: { sum: a + b },
    }),
  );

  registerAppTool(
    server,
    'app-add',
    {
      title: 'Add (for the app)',
      description: 'Adds two numbers; callable by the sum app only.',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      _meta: { ui: { resourceUri: SUM_APP_URI, visibility: ['app'] } },
    },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );

  if (!misbehavingAppOn()) return;
  registerAppResource(server, 'misbehaving-app', MISBEHAVING_APP_URI, { title: 'Misbehaving app', mimeType: RESOURCE_MIME_TYPE }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: MISBEHAVING_APP }],
  }));
  registerAppTool(
    server,
    'misbehaving-app',
    {
      title: 'Misbehaving app',
      description: 'Shows an app that tries to escape its sandbox (demo of what Keyhole prevents).',
      inputSchema: z.object({ target: z.string().describe('A URL the app tries to fetch directly') }),
      _meta: { ui: { resourceUri: MISBEHAVING_APP_URI } },
    },
    async ({ target }) => ({ content: [{ type: 'text', text: `The app will try its worst, and fetch ${target}.` }] }),
  );
}

// The demo's resources: demo://readme, demo://logo.png (binary), demo://counter (subscribable),
// and the templates demo://greeting/{name}, demo://square/{n}, demo://swatch/{rgb} (binary).
// Also the 2025-11-25 resources/subscribe bookkeeping (2026-07-28 clients use
// subscriptions/listen, which the SDK's handler serves).

import { ProtocolError, ProtocolErrorCode, ResourceTemplate } from '@modelcontextprotocol/server';
import { completeName, completeRgb } from './completions.mjs';
import { README_ICONS } from './icons.mjs';
import { LOGO_PNG_BASE64, solidPng } from './media.mjs';

/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */

export const COUNTER_URI = 'demo://counter';

/** Per-instance `resources/subscribe` URIs (2025-11-25 sessions). */
/** @type {WeakMap<McpServer, Set<string>>} */
const resourceSubscriptions = new WeakMap();

/**
 * URIs a 2025-11-25 session subscribed to.
 * @param {McpServer} server
 */
export function subscribedResources(server) {
  return resourceSubscriptions.get(server) ?? new Set();
}

/**
 * @param {McpServer} server
 * @param {import('./server-instance.mjs').DemoState} demo
 */
export function registerResources(server, demo) {
  server.registerResource(
    'readme',
    'demo://readme',
    { title: 'Demo README', description: 'About this demo server', mimeType: 'text/markdown', icons: README_ICONS },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/markdown',
          text: '# Keyhole demo MCP server\n\nTools: `echo`, `add`, `slow-count`, `admin-report` (needs `mcp:admin`).\n',
        },
      ],
    }),
  );

  server.registerResource(
    'greeting',
    new ResourceTemplate('demo://greeting/{name}', { list: undefined, complete: { name: completeName } }),
    { title: 'Greeting', description: 'A greeting for anyone', mimeType: 'text/plain' },
    async (uri, { name }) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Hello, ${decodeURIComponent(String(name))}!` }],
    }),
  );

  // Two more templates, so that a page size of 2 splits resources/templates/list too.
  server.registerResource(
    'square',
    new ResourceTemplate('demo://square/{n}', { list: undefined }),
    { title: 'Square', description: 'The square of an integer', mimeType: 'text/plain' },
    async (uri, { n }) => {
      const value = Number(n);
      if (!Number.isSafeInteger(value)) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `demo://square/{n} needs an integer, not ${JSON.stringify(n)}`);
      }
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: `${value} squared is ${value * value}` }] };
    },
  );

  server.registerResource(
    'swatch',
    new ResourceTemplate('demo://swatch/{rgb}', { list: undefined, complete: { rgb: completeRgb } }),
    { title: 'Colour swatch', description: 'An 8x8 PNG of one colour, e.g. demo://swatch/2563eb (binary)', mimeType: 'image/png' },
    async (uri, { rgb }) => {
      const hex = String(rgb);
      if (!/^[0-9a-f]{6}$/i.test(hex)) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `demo://swatch/{rgb} needs six hex digits, not ${JSON.stringify(rgb)}`);
      }
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const png = solidPng(8, [/** @type {number} */ (r), /** @type {number} */ (g), /** @type {number} */ (b)]);
      return { contents: [{ uri: uri.href, mimeType: 'image/png', blob: png.toString('base64') }] };
    },
  );

  server.registerResource(
    'logo',
    'demo://logo.png',
    { title: 'Logo', description: 'A 16x16 PNG (binary resource)', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: LOGO_PNG_BASE64 }] }),
  );

  server.registerResource(
    'counter',
    COUNTER_URI,
    { title: 'Counter', description: 'A number bump-counter increments (subscribable)', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: String(demo.counter()) }] }),
  );

  // resources/subscribe (2025-11-25; 2026-07-28 clients use subscriptions/listen instead).
  const subscriptions = new Set();
  resourceSubscriptions.set(server, subscriptions);
  server.server.setRequestHandler('resources/subscribe', async (request) => {
    subscriptions.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });
}

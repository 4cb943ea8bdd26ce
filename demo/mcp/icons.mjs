// Icons (MCP 2025-11-25 `icons`: `{ src, mimeType?, sizes?, theme? }[]` on the implementation,
// tools, resources and prompts). All are data: URIs, so a client shows them without fetching
// anything; one is SVG, which a careful client does not draw (SVG can carry script and
// references, see the spec's icon security considerations).

import { solidPng } from './media.mjs';

/**
 * A 16x16 PNG square of one colour.
 * @param {[number, number, number]} rgb
 * @returns {import('@modelcontextprotocol/server').Icon[]}
 */
function pngSquare(rgb) {
  return [{ src: `data:image/png;base64,${solidPng(16, rgb).toString('base64')}`, mimeType: 'image/png', sizes: ['16x16'] }];
}

/** The server's own icon (serverInfo): Keyhole blue, as demo://logo.png. */
export const SERVER_ICONS = pngSquare([37, 99, 235]);

export const ECHO_ICONS = pngSquare([22, 163, 74]);
export const ADD_ICONS = pngSquare([220, 38, 38]);
export const SAMPLE_CONTENT_ICONS = pngSquare([124, 58, 237]);
export const README_ICONS = pngSquare([8, 145, 178]);
export const GREET_ICONS = pngSquare([219, 39, 119]);

/** An SVG icon (for order-form): the client must not draw it. */
export const ORDER_FORM_ICONS = [
  {
    src: `data:image/svg+xml,${encodeURIComponent(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#f59e0b"/></svg>',
    )}`,
    mimeType: 'image/svg+xml',
    sizes: ['any'],
  },
];

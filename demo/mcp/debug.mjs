// Debug output of the demo MCP server (KEYHOLE_DEMO_DEBUG=1).

const DEBUG = process.env.KEYHOLE_DEMO_DEBUG === '1';
/** @param {...unknown} args */
export function debug(...args) {
  if (DEBUG) console.error('[keyhole-demo-mcp]', ...args);
}

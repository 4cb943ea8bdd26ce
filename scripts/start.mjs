// `npm start`: build the app, serve it on loopback, start the demo stack, print where to go.
import { spawnSync } from 'node:child_process';
import { startDemoStack, startSandboxSite } from '../demo/stack.mjs';
import { serveStatic } from './static-server.mjs';

const APP_PORT = Number(process.env.KEYHOLE_PORT ?? 4173);

// MCP Apps run on the sandbox origin: the next free port after the demo servers' (a different
// port is a different origin). KEYHOLE_SANDBOX_URL set by hand wins.
const SANDBOX_PORT = APP_PORT + 3;
const sandboxUrl = process.env.KEYHOLE_SANDBOX_URL ?? `http://localhost:${SANDBOX_PORT}/`;
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', env: { ...process.env, KEYHOLE_SANDBOX_URL: sandboxUrl } });
if (build.status !== 0) process.exit(build.status ?? 1);

const appOrigin = `http://localhost:${APP_PORT}`;
const autoApprove = process.env.KEYHOLE_DEMO_AUTO_APPROVE === '1';
// DPoP-bound tokens by default; KEYHOLE_DEMO_BEARER_ONLY=1 runs the same stack with Bearer tokens.
const bearerOnly = process.env.KEYHOLE_DEMO_BEARER_ONLY === '1';
// Stable demo ports next to the app's, so the demo server's URL can be bookmarked. Lists come
// five at a time, so the protocol view shows MCP pagination at work.
const stack = await startDemoStack({ appOrigins: [appOrigin], autoApprove, bearerOnly, authPort: APP_PORT + 1, mcpPort: APP_PORT + 2, pageSize: 5 });
let app;
let sandbox;
try {
  sandbox = await startSandboxSite({ root: 'dist-sandbox', port: Number(new URL(sandboxUrl).port || 80) });
} catch (err) {
  console.error(`Could not serve the MCP Apps sandbox on ${sandboxUrl} (${err.message}). Set KEYHOLE_PORT to free ports.`);
  await stack.close();
  process.exit(1);
}
try {
  app = await serveStatic({ root: 'dist', port: APP_PORT, routes: { '/demo.json': { mcpUrl: stack.mcp.url } } });
} catch (err) {
  console.error(`Could not serve the app on port ${APP_PORT} (${err.message}). Set KEYHOLE_PORT to a free port.`);
  await Promise.allSettled([stack.close(), sandbox.close()]);
  process.exit(1);
}

console.log(`
Keyhole is running.

  Open the app:             ${app.url}
  Demo MCP server:          ${stack.mcp.url}
  MCP Apps sandbox:         ${sandbox.url} (another origin; apps run here)
  Demo authorization server ${stack.auth.issuer}${autoApprove ? ' (approves at once)' : ' (any name logs in; you approve on its consent page)'}
  Tokens:                   ${bearerOnly ? 'Bearer only (KEYHOLE_DEMO_BEARER_ONLY=1)' : 'DPoP-bound (set KEYHOLE_DEMO_BEARER_ONLY=1 for Bearer)'}

One click: ${app.url}?connect=${encodeURIComponent(stack.mcp.url)}
Press Ctrl+C to stop.
`);

const stop = async () => {
  await Promise.allSettled([app.close(), stack.close(), sandbox.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

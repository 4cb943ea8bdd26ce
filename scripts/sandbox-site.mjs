// The MCP Apps sandbox site of a build, served where that build expects it: the end-to-end suite's
// fixture (test/e2e/support/app.ts) and the cross-browser suite (test/browsers/run.mjs) share this.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandboxSite } from '../demo/stack.mjs';

/**
 * The sandbox origin a build names in KEYHOLE_SANDBOX_URL, read back from its page's CSP
 * (`frame-src`, the one origin Keyhole may frame). A build without it has Apps off: undefined.
 * @param {string} dist the built app's directory
 * @returns {string | undefined}
 */
export function builtSandboxOrigin(dist) {
  const page = readFileSync(join(dist, 'index.html'), 'utf8');
  const frameSrc = /frame-src ([^;"]+)/.exec(page)?.[1]?.trim();
  return frameSrc && frameSrc !== "'none'" ? frameSrc : undefined;
}

/**
 * Serves `<dist>-sandbox/` on the loopback port of the origin the build named (another origin than
 * the app's, as MCP Apps require: SEP-1865 "Sandbox proxy"). Throws, saying how to build, when the
 * build has Apps off.
 * @param {string} dist
 * @returns {Promise<{ url: string, origin: string, close: () => Promise<void> }>}
 */
export async function serveBuiltSandbox(dist) {
  const origin = builtSandboxOrigin(dist);
  if (!origin) throw new Error(`${dist}/ was built without MCP Apps: build with KEYHOLE_SANDBOX_URL=http://localhost:4191/ npm run build`);
  return startSandboxSite({ root: `${dist}-sandbox`, port: Number(new URL(origin).port || 80) });
}

#!/usr/bin/env node
// Part 6 of `npm run bench` alone (the sizes), for a quick look while changing what loads when:
// one fresh profile connects to the demo stack (part 4 with one first run, no reloads), then the
// first load, the chunks by name and "everything to a connected tool list" are printed.
//
//   node bench/size-only.mjs [--dist DIR]     (default: builds into a temporary directory)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoStack } from '../demo/stack.mjs';
import { measureConnect } from './connect.mjs';
import { buildApp, launchBrowser, serveApp } from './env.mjs';
import { measureSize } from './size.mjs';

const { values: opts } = parseArgs({ options: { dist: { type: 'string' } } });
const cleanups = [];
try {
  let dist = opts.dist;
  if (!dist) {
    dist = mkdtempSync(join(os.tmpdir(), 'keyhole-size-dist-'));
    cleanups.push(async () => rmSync(dist, { recursive: true, force: true }));
    buildApp(dist);
  }
  const app = await serveApp(dist);
  cleanups.push(app.close);
  const stack = await startDemoStack({ appOrigins: [app.origin], autoApprove: true, bearerOnly: true });
  cleanups.push(stack.close);
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const connect = await measureConnect({ browser, app, stack, firstRuns: 1, reloads: 0 });
  const size = measureSize({ dist, assets: connect.assets, swScriptUrl: connect.swScriptUrl, connectedAssets: connect.connectedAssets });
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  for (const c of size.chunks) console.log(`${c.path.padEnd(48)} ${kb(c.gzip).padStart(10)} gzip  ${c.when}`);
  console.log(`first load (page + sw.js): ${kb(size.firstLoad.gzip)} gzip (target ${size.firstLoadTargetKB} KB)`);
  if (size.toConnectedTools) console.log(`everything to a connected tool list: ${kb(size.toConnectedTools.gzip)} gzip`);
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
}

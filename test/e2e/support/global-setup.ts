import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIST = process.env.KEYHOLE_DIST ?? 'dist';
const BUILT = ['index.html', 'callback.html', 'sw.js'].map((f) => join(DIST, f));

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function globalSetup(): void {
  const missing = BUILT.filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(`The end-to-end tests run the built app, and ${missing.join(', ')} is missing: run npm run build first.`);
  }
  if (existsSync('src') && newest('src') > statSync(join(DIST, 'sw.js')).mtimeMs) {
    console.warn(`warning: src/ changed after the last build; these tests run ${DIST}/ (run npm run build first to test the current source).`);
  }
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellManifest } from '../../scripts/precache.ts';

const dir = mkdtempSync(join(tmpdir(), 'keyhole-precache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the precache list of the app shell', () => {
  it('lists the shell with revisions, hashed names without, and leaves out what is not the shell', () => {
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, 'icons'));
    for (const [f, body] of Object.entries({
      'index.html': '<html>',
      'callback.html': 'x',
      'sw.js': 'x',
      'client-metadata.json': '{}',
      _headers: 'x',
      'manifest.webmanifest': '{}',
      'assets/main-AbCdEf12.js': 'x',
      'assets/main-AbCdEf12.js.map': 'x',
      'icons/keyhole-192.png': 'png',
    })) writeFileSync(join(dir, f), body);
    const entries = shellManifest(dir);
    expect(entries.map((e) => e.url)).toEqual(['assets/main-AbCdEf12.js', 'icons/keyhole-192.png', 'index.html', 'manifest.webmanifest']);
    expect(entries.find((e) => e.url === 'assets/main-AbCdEf12.js')?.revision).toBeNull();
    expect(entries.find((e) => e.url === 'index.html')?.revision).toMatch(/^[0-9a-f]{32}$/);
  });
});

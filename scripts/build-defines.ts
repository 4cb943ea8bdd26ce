/**
 * Build-time settings shared by the page and worker builds.
 * KEYHOLE_CIMD_URL: the https URL of this deployment's Client ID Metadata Document (its client_id).
 */
import { readFileSync } from 'node:fs';

export function buildDefines(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    __KEYHOLE_CIMD_URL__: JSON.stringify(process.env.KEYHOLE_CIMD_URL ?? ''),
    __KEYHOLE_VERSION__: JSON.stringify(pkg.version),
  };
}

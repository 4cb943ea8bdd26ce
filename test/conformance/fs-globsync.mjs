// `node:fs` plus a `globSync` export. Only the suite's `tier-check` command
// calls globSync; the client runner never does.
import fs from 'node:fs';

export * from 'node:fs';
export default fs;

export function globSync(...args) {
  if (typeof fs.globSync === 'function') return fs.globSync(...args);
  throw new Error('fs.globSync needs Node >= 22 (only used by `conformance tier-check`)');
}

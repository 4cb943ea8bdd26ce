/**
 * No import cycles in the app, the worker or the sandbox: a module that needs another's code must
 * not be needed by it in turn (a cycle makes load order matter and hides which room owns what).
 * Relative imports only (`import … from './x.ts'`, `export … from`, `import('./x.ts')`, side-effect
 * imports); type-only imports count too, since they show the same tangle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src', 'sandbox'];
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\s*\(?\s*['"](\.[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) ? [resolve(path)] : [];
  });
}

function graph(): Map<string, string[]> {
  const files = ROOTS.flatMap((r) => sources(r));
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1] ?? m[2]!)).filter((t) => known.has(t));
      return [file, targets];
    }),
  );
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
function cycles(g: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of g.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).concat(next));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of g.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('import graph', () => {
  it('reads the imports it should (the control: the worker entry imports connections.ts)', () => {
    const g = graph();
    const sw = [...g.keys()].find((f) => f.endsWith('/src/sw/sw.ts'))!;
    expect(g.get(sw)?.some((t) => t.endsWith('/src/sw/connections.ts'))).toBe(true);
  });

  it('has no cycles', () => {
    const root = resolve('.') + '/';
    expect(cycles(graph()).map((c) => c.map((f) => f.replace(root, '')).join(' → '))).toEqual([]);
  });
});

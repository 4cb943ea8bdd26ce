// Module resolve hook: only the conformance package's `fs` import is redirected
// to a superset module that adds `globSync`. Everything else resolves normally.
const FS_SHIM = new URL('./fs-globsync.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if ((specifier === 'fs' || specifier === 'node:fs') &&
      parent.includes('/@modelcontextprotocol/conformance/')) {
    return { url: FS_SHIM, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

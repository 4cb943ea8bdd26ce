/**
 * The page runs under `require-trusted-types-for 'script'` (see index.html's CSP). Lit brings
 * its own `lit-html` policy for templates; this is Keyhole's only other one, and all it vouches
 * for is the service worker's script URL.
 */
let policy: Pick<TrustedTypePolicy, 'createScriptURL'> | undefined;

export function workerScriptUrl(): string | TrustedScriptURL {
  const url = new URL('./sw.js', location.href).href;
  if (!window.trustedTypes) return url;
  policy ??= window.trustedTypes.createPolicy('keyhole', {
    createScriptURL: (input: string) => {
      if (input !== url) throw new TypeError(`Keyhole's Trusted Types policy only allows ${url}`);
      return input;
    },
  });
  return policy.createScriptURL(url);
}

/**
 * A page-build plugin that leaves the MCP SDK client's OAuth code out of the page. The page
 * never runs OAuth (the worker does, with its own code), but the SDK's Streamable HTTP
 * transport calls `auth()` when it holds an OAuth provider, so a bundler keeps the whole flow
 * (discovery, registration, PKCE, token exchange) reachable. Keyhole's transport never gets a
 * provider: the entry points that start that flow are replaced by stubs that throw, and the flow
 * itself is then dead code that tree-shaking drops. test/unit/page-without-oauth.test.ts checks
 * the built page.
 */
import type { Plugin } from 'vite';

/** The SDK client's own entry module, which imports the OAuth flow from a shared chunk. */
const SDK_ENTRY = /[\\/]@modelcontextprotocol[\\/]client[\\/]dist[\\/]index\.mjs$/;

/** Local names in that module whose use would start the OAuth flow, and what stands in for them. */
const STUBS: Record<string, string> = {
  auth: 'async () => { throw new Error(NO_OAUTH); }',
  adaptOAuthProvider: '() => { throw new Error(NO_OAUTH); }',
  // "Not an OAuth provider", which is always true here: Keyhole passes no authProvider.
  isOAuthClientProvider: '() => false',
  // The transport's finishAuth (an authorization callback): Keyhole's worker handles callbacks.
  resolveAuthorizationCallbackParams: 'async () => { throw new Error(NO_OAUTH); }',
};

export function pageWithoutSdkOAuth(): Plugin {
  return {
    name: 'keyhole-page-without-sdk-oauth',
    apply: 'build',
    transform(code, id) {
      if (!SDK_ENTRY.test(id)) return null;
      return { code: withoutOAuth(code, id), map: null };
    },
  };
}

/** Drops the STUBS' bindings from the module's imports and declares the stubs in their place. */
export function withoutOAuth(code: string, id = 'the SDK client'): string {
  const found = new Set<string>();
  const out = code.replace(/^import \{([^}]*)\} from ("\.\/[^"]+\.mjs");$/gm, (_line, specifiers: string, from: string) => {
    const kept = specifiers
      .split(',')
      .map((s) => s.trim())
      .filter((s) => {
        const local = s.split(/\s+as\s+/).at(-1)!;
        if (!(local in STUBS)) return true;
        found.add(local);
        return false;
      });
    return `import { ${kept.join(', ')} } from ${from};`;
  });
  const missing = Object.keys(STUBS).filter((name) => !found.has(name));
  // A new SDK version that moved these: fail the build rather than ship the flow unnoticed.
  if (missing.length) throw new Error(`pageWithoutSdkOAuth: ${id} no longer imports ${missing.join(', ')}; update scripts/page-without-sdk-oauth.ts`);
  const stubs = Object.entries(STUBS).map(([name, body]) => `const ${name} = ${body};`);
  return `${out}\nconst NO_OAUTH = "Keyhole's page runs no OAuth: its service worker does.";\n${stubs.join('\n')}\n`;
}

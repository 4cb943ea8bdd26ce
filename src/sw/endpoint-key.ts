/**
 * What makes two URLs the same MCP endpoint, as `isSameEndpoint` (rules/urls.ts) compares them:
 * origin and path. Every page request is matched against every connection and every managed
 * authorization server endpoint, so each distinct URL string is parsed once, not per request.
 */

const keys = new Map<string, string>();
/** Endpoints and the request URLs a page uses are few; past this the memo starts over. */
const MAX_KEYS = 512;

/** `url`'s origin and path as one string; throws, as `new URL` does, for a string that is not a URL. */
export function endpointKey(url: string): string {
  let key = keys.get(url);
  if (key === undefined) {
    const parsed = new URL(url);
    // A space occurs in neither an origin nor a (percent-encoded) path.
    key = `${parsed.origin} ${parsed.pathname}`;
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(url, key);
  }
  return key;
}

/**
 * Every network read the worker makes for OAuth goes through here, so that size and time
 * limits hold everywhere and a browser-level failure (CORS, DNS, refused connection) becomes a
 * sentence a person can act on.
 */
import * as oauth from 'oauth4webapi';
import { diagnoseNoAnswer } from './cors-diagnosis.ts';
import { joinChunks, readAtMost } from './rules/bounded-read.ts';
import { FlowError, TimeoutError, UnreachableError } from './errors.ts';
import { isLoopbackHost } from './rules/urls.ts';

/** Metadata and registration documents are small; 1 MB is far beyond any real one. */
export const MAX_DOCUMENT_BYTES = 1_000_000;
/** No OAuth endpoint should take longer than this to answer on any network we support. */
export const OAUTH_TIMEOUT_MS = 15_000;

export interface BoundedInit extends RequestInit {
  /** Used in error messages: "the token endpoint", "protected resource metadata". */
  what: string;
}

/**
 * Fetches `url` with the worker's OAuth defaults (no cookies, no redirects followed) and
 * returns a Response whose body has been read within MAX_DOCUMENT_BYTES and OAUTH_TIMEOUT_MS.
 */
export async function fetchBounded(url: string, init: BoundedInit): Promise<Response> {
  const { what, ...rest } = init;
  const timeout = AbortSignal.timeout(OAUTH_TIMEOUT_MS);
  const signal = rest.signal ? AbortSignal.any([rest.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { ...rest, credentials: 'omit', redirect: 'manual', mode: 'cors', signal });
  } catch (err) {
    if (timeout.aborted) {
      throw new TimeoutError('network', `${what} at ${url} did not answer within ${OAUTH_TIMEOUT_MS / 1000} s.`);
    }
    if (rest.signal?.aborted) throw err;
    // The browser does not say whether the server is down or refuses this origin: ask it in
    // smaller questions (cors-diagnosis.ts), so the card names the endpoint and the header.
    const names: string[] = [];
    new Headers(rest.headers).forEach((_value, name) => names.push(name));
    const found = await diagnoseNoAnswer(url, names, rest.method ?? 'GET');
    throw new UnreachableError(
      'network',
      found.kind === 'cors' || found.kind === 'tls' ? `${what} at ${url}: ${found.message}` : `${what} at ${url} could not be reached from the browser: ${found.message}`,
    );
  }
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
    throw new FlowError('network', `${what} at ${url} answered with a redirect; Keyhole does not follow redirects on OAuth endpoints.`);
  }
  const body = await readLimited(res, MAX_DOCUMENT_BYTES, `${what} at ${url}`, timeout);
  return new Response(body as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers: res.headers });
}

async function readLimited(res: Response, max: number, what: string, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    throw new FlowError('network', `${what} is ${declared} bytes, more than the ${max}-byte limit.`);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  let chunks: Uint8Array<ArrayBuffer>[] | undefined;
  const onAbort = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', onAbort);
  try {
    chunks = await readAtMost(reader, max);
    // Cancelling on timeout ends the read as if the body were complete: it was not.
    if (signal.aborted) throw new TimeoutError('network', `${what} did not finish its answer within ${OAUTH_TIMEOUT_MS / 1000} s.`);
  } catch (err) {
    if (err instanceof FlowError) throw err;
    throw new TimeoutError('network', `${what} did not finish its answer within ${OAUTH_TIMEOUT_MS / 1000} s.`);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (!chunks) throw new FlowError('network', `${what} sent more than the ${max}-byte limit.`);
  return joinChunks(chunks);
}

/**
 * Options for every oauth4webapi request: our bounded fetch, and plain http only when the
 * endpoint is on loopback (MCP C3). Every endpoint URL was checked by checkEndpointUrl first.
 */
export function oauthOptions(endpoint: string, what: string) {
  return {
    [oauth.customFetch]: (url: string, options: oauth.CustomFetchOptions<string, unknown>) =>
      fetchBounded(url, {
        what,
        method: options.method,
        headers: options.headers,
        body: options.body as BodyInit | null,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    [oauth.allowInsecureRequests]: isLoopbackHost(new URL(endpoint).hostname),
  };
}

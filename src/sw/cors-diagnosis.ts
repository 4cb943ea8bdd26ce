/**
 * Why a request got no answer at all. The browser reports a CORS refusal and a dead server the
 * same way (a TypeError, Fetch §4.1 "network error"), so the worker asks again in smaller
 * questions, each answered only as the browser allows:
 *   1. a `no-cors` request: its opaque answer proves something answered (Fetch §3.2.5);
 *   2. a plain CORS request (same method) with no extra header: fails when `Access-Control-Allow-Origin` is missing;
 *   3. one preflighted request per header Keyhole sends: fails when the preflight's
 *      `Access-Control-Allow-Headers` does not list that header; those the failed request sent
 *      are the cause, and all are named so that the operator fixes them at once.
 * The probes carry no credentials and no token (a header probed for is given a dummy value).
 *
 * A failed TLS handshake is a network error too (https to a port that speaks plain http). On
 * loopback, where plain http is allowed, a `no-cors` request to the http:// variant tells it
 * apart: when that answers, the server is there and speaks http, so TLS was what failed.
 */
import { appOrigin } from './config.ts';
import { isLoopbackHost } from './rules/urls.ts';

export interface CorsDiagnosis {
  /** `tls`: https got no answer on loopback, where the same address answers plain http. */
  kind: 'unreachable' | 'cors' | 'tls' | 'unknown';
  /** The header the server must add or complete, when one was found. */
  header?: string;
  /** The request headers its preflight refuses, by their usual names (Access-Control-Allow-Headers findings only). */
  refused?: string[];
  message: string;
}

/** Each probe waits this long at most: a diagnosis must not hang the card. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The request headers Keyhole (its worker and the MCP SDK) may send to an MCP server, by their
 * usual spelling, each with a dummy probe value: enough to make the browser ask for the header,
 * nothing anyone could use. The one list: the probes and the operator snippet both come from it.
 */
const REQUEST_HEADERS: readonly { name: string; probe: string }[] = [
  { name: 'Authorization', probe: 'Bearer keyhole-cors-probe' },
  { name: 'Content-Type', probe: 'application/json' },
  { name: 'DPoP', probe: 'keyhole-cors-probe' },
  { name: 'MCP-Protocol-Version', probe: '2026-07-28' },
  { name: 'Mcp-Session-Id', probe: 'keyhole-cors-probe' },
  { name: 'Mcp-Method', probe: 'ping' },
  { name: 'Mcp-Name', probe: 'keyhole-cors-probe' },
  { name: 'Last-Event-ID', probe: '0' },
];

const EXPOSED_HEADERS = ['WWW-Authenticate', 'Mcp-Session-Id', 'DPoP-Nonce'];

/** Tool parameters mirrored into headers (MCP 2026-07-28, SEP-2243): `Mcp-Param-` and any name. */
const MCP_PARAM = /^mcp-param-[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** The entry for a header name in any case, if it is one Keyhole sends (an `Mcp-Param-*` header as the request spelled it). */
function requestHeader(name: string): { name: string; probe: string } | undefined {
  const lower = name.toLowerCase();
  return REQUEST_HEADERS.find((h) => h.name.toLowerCase() === lower) ?? (MCP_PARAM.test(name) ? { name, probe: 'keyhole-cors-probe' } : undefined);
}

/** Where the snippets for common server stacks are (and what they set). */
function snippet(origin: string): string {
  const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
  return (
    'Ready snippets for the TypeScript SDK with Express, Python/Starlette, nginx and Caddy are in Keyhole’s docs/operators.md; ' +
    `with Express and the cors package: app.use(cors({ origin: '${origin}', allowedHeaders: [${list(REQUEST_HEADERS.map((h) => h.name))}], ` +
    `exposedHeaders: [${list(EXPOSED_HEADERS)}] })).`
  );
}

/** "A", "A and B", "A, B and C". */
function listed(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

async function answers(url: string, init: RequestInit): Promise<boolean> {
  try {
    await fetch(url, { ...init, credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

/**
 * CORS refusals found, by URL: until the server is seen to allow the request, a 401 that arrives
 * around the failure (a request that carried fewer headers) must not hide it (issue 17).
 */
const refusals = new Map<string, { headers: readonly string[]; method: string }>();

/**
 * Probes `url` for the reason a request with `headers` (names, any case) got no answer. The probes
 * use the request's own method: a server may answer CORS for GET on a path and not for POST.
 */
export async function diagnoseNoAnswer(url: string, headers: readonly string[], method = 'GET'): Promise<CorsDiagnosis> {
  const found = await probe(url, headers, method);
  if (found.kind === 'cors') refusals.set(url, { headers: [...headers], method });
  else refusals.delete(url);
  return found;
}

/**
 * The CORS refusal found earlier for `url`, if the server still refuses: asked again, so a server
 * its operator has fixed meanwhile is used at once. Undefined when none was found or it is gone.
 */
export async function standingCorsRefusal(url: string): Promise<CorsDiagnosis | undefined> {
  const earlier = refusals.get(url);
  if (!earlier) return undefined;
  const found = await diagnoseNoAnswer(url, earlier.headers, earlier.method);
  return found.kind === 'cors' ? found : undefined;
}

async function probe(url: string, headers: readonly string[], method: string): Promise<CorsDiagnosis> {
  const origin = appOrigin();
  const where = new URL(url).origin;
  // A no-cors request may only use GET, HEAD or POST (Fetch §4.1).
  const noCors: RequestInit = { mode: 'no-cors', method: ['GET', 'HEAD', 'POST'].includes(method) ? method : 'GET' };
  if (!(await answers(url, noCors))) return noAnswer(new URL(url), noCors);
  if (!(await answers(url, { mode: 'cors', method }))) {
    return {
      kind: 'cors',
      header: 'Access-Control-Allow-Origin',
      message: `${where} answers, but not to this app: its answers (the 401 and errors too) must carry Access-Control-Allow-Origin: ${origin}. ${snippet(origin)}`,
    };
  }
  // Every header Keyhole sends is asked about at once (one preflight each), so a server that lists
  // none of them (the Python SDK README's CORS) is told all it must allow, not one per failure.
  // The request's own Mcp-Param-* headers are asked about too: their names are the server's own.
  const params = headers.filter((h) => MCP_PARAM.test(h)).map((h) => ({ name: h, probe: 'keyhole-cors-probe' }));
  const probed = await Promise.all(
    [...REQUEST_HEADERS, ...params].map(async (h) => ({ name: h.name, allowed: await answers(url, { mode: 'cors', method, headers: { [h.name]: h.probe } }) })),
  );
  const refused = probed.filter((p) => !p.allowed).map((p) => p.name);
  const sent = new Set(headers.map((h) => requestHeader(h)?.name).filter((n) => n !== undefined));
  const cause = refused.filter((n) => sent.has(n));
  if (cause.length) {
    const others = refused.filter((n) => !sent.has(n));
    return {
      kind: 'cors',
      header: 'Access-Control-Allow-Headers',
      refused,
      message:
        `${where} answers, but its CORS preflight does not allow the ${listed(cause)} header${cause.length > 1 ? 's' : ''}: ` +
        `Access-Control-Allow-Headers must list ${listed(refused)} for ${origin}` +
        `${others.length ? ` (Keyhole sends ${listed(others)} too, on other requests)` : ''}. ${snippet(origin)}`,
    };
  }
  return {
    kind: 'unknown',
    message: `${where} answers and its CORS checks pass now: the failure may have been passing (the connection dropped). Try again.`,
  };
}

/**
 * Nothing answered `url`. The browser does not say whether the connection was refused or its
 * TLS handshake failed; for https on loopback, the plain http variant is asked (no-cors, no
 * credentials): its answer proves the server is there and speaks http, not TLS. Off loopback
 * http is not allowed (and would be mixed content), so the message names both possibilities.
 */
async function noAnswer(url: URL, noCors: RequestInit): Promise<CorsDiagnosis> {
  const where = url.origin;
  if (url.protocol === 'https:' && isLoopbackHost(url.hostname)) {
    const plain = new URL(url);
    plain.protocol = 'http:';
    if (await answers(plain.href, noCors)) {
      return {
        kind: 'tls',
        message:
          `the secure connection (TLS) to ${url.host} could not be made, but ${plain.origin} answers: ` +
          `the server there speaks plain http, not https: try ${plain.href} (plain http is allowed on loopback).`,
      };
    }
    return {
      kind: 'unreachable',
      message: `nothing answered at ${where}, over https or plain http: the server is down, or the address or port is wrong.`,
    };
  }
  if (url.protocol === 'https:') {
    return {
      kind: 'unreachable',
      message:
        `nothing answered at ${where}, or the secure connection (TLS) to it failed: the server is down, the address or port is wrong, ` +
        'the network blocks it, or its certificate is not one the browser accepts (open the address in a tab to see which).',
    };
  }
  return {
    kind: 'unreachable',
    message: `nothing answered at ${where}: the server is down, the address is wrong, or the network blocks it.`,
  };
}

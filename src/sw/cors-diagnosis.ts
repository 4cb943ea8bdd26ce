/**
 * Why a request got no answer at all. The browser reports a CORS refusal and a dead server the
 * same way (a TypeError, Fetch §4.1 "network error"), so the worker asks again in smaller
 * questions, each answered only as the browser allows:
 *   1. a `no-cors` request: its opaque answer proves something answered (Fetch §3.2.5);
 *   2. a plain CORS request (same method) with no extra header: fails when `Access-Control-Allow-Origin` is missing;
 *   3. one preflighted request per header the real request sent: fails when the preflight's
 *      `Access-Control-Allow-Headers` does not list that header.
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
  message: string;
}

/** Each probe waits this long at most: a diagnosis must not hang the card. */
const PROBE_TIMEOUT_MS = 5_000;

/** Dummy values: enough to make the browser ask for the header, nothing anyone could use. */
const PROBE_VALUES: Record<string, string> = {
  'content-type': 'application/json',
  'mcp-protocol-version': '2026-07-28',
  authorization: 'Bearer keyhole-cors-probe',
  dpop: 'keyhole-cors-probe',
  'mcp-session-id': 'keyhole-cors-probe',
  'mcp-method': 'ping',
  'mcp-name': 'keyhole-cors-probe',
  'last-event-id': '0',
};
/** Tool parameters mirrored into headers (MCP 2026-07-28, SEP-2243): `Mcp-Param-` and any name. */
const MCP_PARAM = /^mcp-param-[!#$%&'*+.^_`|~0-9a-z-]+$/;
const probeValue = (header: string): string | undefined => PROBE_VALUES[header] ?? (MCP_PARAM.test(header) ? 'keyhole-cors-probe' : undefined);

/** Where the snippets for common server stacks are (and what they set). */
const SNIPPETS =
  'Ready snippets for the TypeScript SDK with Express, Python/Starlette, nginx and Caddy are in Keyhole’s docs/operators.md; ' +
  `with Express and the cors package: app.use(cors({ origin: '${'{origin}'}', allowedHeaders: ['Authorization', 'Content-Type', 'DPoP', 'MCP-Protocol-Version', 'Mcp-Session-Id', 'Mcp-Method', 'Mcp-Name', 'Last-Event-ID'], ` +
  "exposedHeaders: ['WWW-Authenticate', 'Mcp-Session-Id', 'DPoP-Nonce'] })).";

async function answers(url: string, init: RequestInit): Promise<boolean> {
  try {
    await fetch(url, { ...init, credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Probes `url` for the reason a request with `headers` (names, any case) got no answer. The probes
 * use the request's own method: a server may answer CORS for GET on a path and not for POST.
 */
export async function diagnoseNoAnswer(url: string, headers: readonly string[], method = 'GET'): Promise<CorsDiagnosis> {
  const origin = appOrigin();
  const where = new URL(url).origin;
  // A no-cors request may only use GET, HEAD or POST (Fetch §4.1).
  const noCors: RequestInit = { mode: 'no-cors', method: ['GET', 'HEAD', 'POST'].includes(method) ? method : 'GET' };
  if (!(await answers(url, noCors))) return noAnswer(new URL(url), noCors);
  const snippet = SNIPPETS.replace('{origin}', origin);
  if (!(await answers(url, { mode: 'cors', method }))) {
    return {
      kind: 'cors',
      header: 'Access-Control-Allow-Origin',
      message: `${where} answers, but not to this app: its answers (the 401 and errors too) must carry Access-Control-Allow-Origin: ${origin}. ${snippet}`,
    };
  }
  const probed = [...new Set(headers.map((h) => h.toLowerCase()))].filter((h) => probeValue(h) !== undefined);
  for (const header of probed) {
    if (!(await answers(url, { mode: 'cors', method, headers: { [header]: probeValue(header)! } }))) {
      const name = header.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()).replace(/^Mcp-Protocol/, 'MCP-Protocol').replace(/^Dpop$/, 'DPoP');
      return {
        kind: 'cors',
        header: 'Access-Control-Allow-Headers',
        message: `${where} answers, but its CORS preflight does not allow the ${name} header: Access-Control-Allow-Headers must list ${name} for ${origin}. ${snippet}`,
      };
    }
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

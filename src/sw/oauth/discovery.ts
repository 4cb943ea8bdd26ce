/**
 * Discovery: protected resource metadata (RFC 9728) then authorization server metadata
 * (RFC 8414, then OpenID Connect Discovery), in the MCP spec's order, every document validated
 * by oauth4webapi plus the stricter MCP rules.
 */
import * as oauth from 'oauth4webapi';
import type { TimelineStep } from '../../protocol.ts';
import { standingCorsRefusal } from '../cors-diagnosis.ts';
import { FlowError, TimeoutError } from '../errors.ts';
import { fetchBounded } from '../net.ts';
import { sameIssuer } from '../rules/issuer.ts';
import { checkEndpointUrl, resourceCovers } from '../rules/urls.ts';
import {
  authorizationServerMetadataUrls,
  legacyAuthorizationBase,
  legacyDefaultEndpoints,
  protectedResourceMetadataUrls,
} from '../rules/well-known.ts';
import type { DiscoveryRecord } from '../store.ts';

type Log = (step: Omit<TimelineStep, 'at'>) => void;

const JSON_ACCEPT = { accept: 'application/json' };

/** Statuses after which the next well-known candidate is tried (the document is simply not there). */
function isAbsent(status: number): boolean {
  return status === 404 || status === 410 || status === 405 || (status >= 400 && status < 500 && status !== 429);
}

export async function discover(
  serverUrl: string,
  challenge: { resourceMetadata?: string; scope?: string },
  log: Log,
): Promise<DiscoveryRecord> {
  // A 401 from a request with fewer headers may arrive after, or before, one refused by the
  // server's CORS: authorizing cannot help while the preflight refuses what every later request
  // sends, so the refusal stands (in whatever order the two came) until the server allows it.
  const refusal = await standingCorsRefusal(serverUrl);
  if (refusal) throw new FlowError('mcp', refusal.message);
  const prm = await findResourceMetadata(serverUrl, challenge.resourceMetadata, log);
  if (!prm) return legacyDiscovery(serverUrl, log);

  const servers = prm.metadata.authorization_servers;
  if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => typeof s === 'string')) {
    throw new FlowError(
      'prm',
      'The protected resource metadata lists no authorization server (RFC 9728 §2 requires `authorization_servers`). Ask the server operator to add one.',
    );
  }
  // RFC 9728 §7.6 leaves the choice to the client; the first listed is the server's preference.
  const issuer = servers[0]!;
  checkEndpointUrl(issuer, 'The authorization server named in the protected resource metadata');
  const as = await findAuthorizationServer(issuer, log);
  const scopes = prm.metadata.scopes_supported;
  return {
    resource: prm.metadata.resource,
    resourceMetadataUrl: prm.url,
    ...(Array.isArray(scopes) ? { resourceScopesSupported: scopes.filter((s): s is string => typeof s === 'string') } : {}),
    issuer,
    as,
    legacy: false,
    ...(prm.metadata.dpop_bound_access_tokens_required === true ? { dpopRequired: true } : {}),
  };
}

async function findResourceMetadata(
  serverUrl: string,
  hinted: string | undefined,
  log: Log,
): Promise<{ url: string; metadata: oauth.ResourceServer } | undefined> {
  // With a hint from the challenge, only that URL is used (MCP D4); the well-known URLs are
  // the fallback for servers that send none.
  const candidates = hinted ? [checkEndpointUrl(hinted, 'The resource_metadata URL in the challenge').href] : protectedResourceMetadataUrls(serverUrl);
  for (const url of candidates) {
    let res: Response;
    try {
      res = await fetchBounded(url, { what: 'Protected resource metadata', headers: JSON_ACCEPT });
    } catch (err) {
      // Unreachable may mean "no CORS on a missing document"; a server that hangs is a fault.
      if (hinted || err instanceof TimeoutError) throw asStep('prm', err);
      log({ step: 'prm', outcome: 'fail', detail: (err as Error).message, url });
      continue;
    }
    if (res.status !== 200) {
      if (!hinted && isAbsent(res.status)) {
        log({ step: 'prm', outcome: 'info', detail: `No protected resource metadata here (HTTP ${res.status}).`, url });
        continue;
      }
      throw new FlowError('prm', `Protected resource metadata at ${url} answered HTTP ${res.status}.`);
    }
    requireJson(res, url, 'prm', 'RFC 9728 §3.2');
    const claimed = await claimedResource(res, url);
    if (!resourceCovers(claimed, serverUrl)) {
      throw new FlowError(
        'prm',
        `The protected resource metadata at ${url} describes the resource ${claimed}, not ${serverUrl} (RFC 9728 §3.3). ` +
          'Keyhole will not ask for a token for one server on behalf of another.',
      );
    }
    let metadata: oauth.ResourceServer;
    try {
      metadata = await oauth.processResourceDiscoveryResponse(new URL(claimed), res);
    } catch (err) {
      throw asStep('prm', err, `The protected resource metadata at ${url} is not valid`);
    }
    log({ step: 'prm', outcome: 'ok', detail: `Found protected resource metadata for ${metadata.resource}.`, url, document: { ...metadata } });
    return { url, metadata };
  }
  return undefined;
}

async function claimedResource(res: Response, url: string): Promise<string> {
  let body: unknown;
  try {
    body = await res.clone().json();
  } catch {
    throw new FlowError('prm', `The protected resource metadata at ${url} is not JSON.`);
  }
  const resource = (body as { resource?: unknown } | null)?.resource;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof resource !== 'string') {
    throw new FlowError('prm', `The protected resource metadata at ${url} has no \`resource\` (RFC 9728 §2).`);
  }
  return resource;
}

async function findAuthorizationServer(issuer: string, log: Log): Promise<oauth.AuthorizationServer> {
  const tried: string[] = [];
  for (const { url, kind } of authorizationServerMetadataUrls(issuer)) {
    let res: Response;
    try {
      res = await fetchBounded(url, { what: 'Authorization server metadata', headers: JSON_ACCEPT });
    } catch (err) {
      if (err instanceof TimeoutError) throw err;
      log({ step: 'as-metadata', outcome: 'fail', detail: (err as Error).message, url });
      tried.push((err as Error).message);
      continue;
    }
    if (res.status !== 200) {
      log({ step: 'as-metadata', outcome: 'info', detail: `No ${kind === 'oauth' ? 'RFC 8414' : 'OpenID'} metadata here (HTTP ${res.status}).`, url });
      tried.push(`${url}: HTTP ${res.status}`);
      continue;
    }
    const as = await validateMetadata(issuer, res, url);
    log({ step: 'as-metadata', outcome: 'ok', detail: `Found authorization server metadata for ${as.issuer}.`, url, document: { ...as } });
    return as;
  }
  throw new FlowError(
    'as-metadata',
    `No authorization server metadata was found for ${issuer} at any of its well-known URLs (RFC 8414 §3, OpenID Connect Discovery §4). ` +
      `Tried: ${tried.join(' — ')}`,
  );
}

async function validateMetadata(issuer: string, res: Response, url: string): Promise<oauth.AuthorizationServer> {
  requireJson(res, url, 'as-metadata', 'RFC 8414 §3.2');
  let as: oauth.AuthorizationServer;
  try {
    as = await oauth.processDiscoveryResponse(new URL(issuer), res);
  } catch (err) {
    const detail = (err as { cause?: { body?: { issuer?: unknown } } }).cause?.body?.issuer;
    if (detail !== undefined) {
      throw new FlowError(
        'as-metadata',
        `The metadata at ${url} names the issuer ${JSON.stringify(detail)}, not ${issuer}; it must be identical (RFC 8414 §3.3), so it is not used.`,
      );
    }
    throw asStep('as-metadata', err, `The authorization server metadata at ${url} is not valid`);
  }
  // oauth4webapi compares normalised URLs; MCP M5 wants the identical string.
  if (!sameIssuer(as.issuer, issuer)) {
    throw new FlowError(
      'as-metadata',
      `The metadata at ${url} names the issuer "${as.issuer}", not "${issuer}"; it must be identical (RFC 8414 §3.3), so it is not used.`,
    );
  }
  checkMetadata(as);
  return as;
}

/** Endpoint schemes and PKCE support (MCP P2, C1). */
function checkMetadata(as: oauth.AuthorizationServer): void {
  const methods = as.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    throw new FlowError(
      'as-metadata',
      `The authorization server ${as.issuer} does not advertise PKCE with S256 (code_challenge_methods_supported), ` +
        'which the MCP authorization spec requires before going on. Ask its operator to enable S256.',
    );
  }
  try {
    checkEndpointUrl(as.authorization_endpoint, 'The authorization endpoint');
    checkEndpointUrl(as.token_endpoint, 'The token endpoint');
    if (as.registration_endpoint !== undefined) checkEndpointUrl(as.registration_endpoint, 'The registration endpoint');
    if (as.revocation_endpoint !== undefined) checkEndpointUrl(as.revocation_endpoint, 'The revocation endpoint');
  } catch (err) {
    throw asStep('as-metadata', err, `The metadata of ${as.issuer} is not usable`);
  }
}

/** Metadata documents are JSON and say so (RFC 8414 §3.2, RFC 9728 §3.2); anything else is not read. */
function requireJson(res: Response, url: string, step: string, rule: string): void {
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new FlowError(step, `${url} answered with Content-Type "${type || '(none)'}"; metadata must be application/json (${rule}), so it is not read.`);
  }
}

/**
 * 2025-03-26 servers publish no protected resource metadata: the MCP server's origin is the
 * authorization server, with RFC 8414 metadata at its root or, failing that, default paths.
 */
async function legacyDiscovery(serverUrl: string, log: Log): Promise<DiscoveryRecord> {
  const base = legacyAuthorizationBase(serverUrl);
  log({ step: 'prm', outcome: 'info', detail: 'No protected resource metadata; using the 2025-03-26 rules (the server’s origin is its authorization server).' });
  const url = `${base}/.well-known/oauth-authorization-server`;
  let as: oauth.AuthorizationServer | undefined;
  try {
    const res = await fetchBounded(url, { what: 'Authorization server metadata', headers: JSON_ACCEPT });
    if (res.status === 200) as = await validateMetadata(base, res, url);
    else log({ step: 'as-metadata', outcome: 'info', detail: `No metadata here (HTTP ${res.status}).`, url });
  } catch (err) {
    if (err instanceof FlowError && err.step === 'as-metadata') throw err;
    log({ step: 'as-metadata', outcome: 'fail', detail: (err as Error).message, url });
  }
  if (!as) {
    // The 2025-03-26 revision required PKCE of every client and defined these default paths.
    as = { issuer: base, ...legacyDefaultEndpoints(serverUrl), code_challenge_methods_supported: ['S256'] };
    log({ step: 'as-metadata', outcome: 'info', detail: `Using the default endpoints ${as.authorization_endpoint}, ${as.token_endpoint}, ${as.registration_endpoint}.` });
  }
  return { resource: serverUrl, issuer: as.issuer, as, legacy: true };
}

function asStep(step: string, err: unknown, prefix?: string): FlowError {
  if (err instanceof FlowError) return err;
  const message = (err as Error)?.message ?? String(err);
  return new FlowError(step, prefix ? `${prefix}: ${message}.` : message);
}

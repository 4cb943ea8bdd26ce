/**
 * Client registration in the MCP spec's order (R2): a client the person entered, our Client
 * ID Metadata Document, Dynamic Client Registration (RFC 7591), else ask the person. Records
 * are kept per authorization server issuer and never reused at another (MCP D9, R12, R13).
 */
import * as oauth from 'oauth4webapi';
import type { TimelineStep } from '../../protocol.ts';
import { applicationType, clientMetadataDocumentUrl, redirectUri } from '../config.ts';
import { FlowError } from '../errors.ts';
import { oauthOptions } from '../net.ts';
import { sameIssuer } from '../rules/issuer.ts';
import { db, type ClientRecord, type ConnectionRecord, type DiscoveryRecord } from '../store.ts';

type Log = (step: Omit<TimelineStep, 'at'>) => void;
type AuthMethod = ClientRecord['token_endpoint_auth_method'];

const SUPPORTED_AUTH: AuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];

/** How to authenticate at the token endpoint with a secret the server assigned or the person typed. */
function secretMethod(as: oauth.AuthorizationServer): AuthMethod {
  const supported = as.token_endpoint_auth_methods_supported;
  // RFC 8414 §2: when absent, the default is client_secret_basic.
  if (!supported || supported.includes('client_secret_basic')) return 'client_secret_basic';
  if (supported.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

/**
 * client_secret_basic with the WHATWG application/x-www-form-urlencoded serialisation
 * (RFC 6749 §2.3.1), which leaves `-`, `.`, `_` and `*` as they are. oauth4webapi escapes those
 * too; servers that do not form-decode the credentials (the MCP conformance suite among them)
 * then see `pre%2Dregistered` instead of `pre-registered`.
 */
function secretBasic(secret: string): oauth.ClientAuth {
  const form = (s: string) => new URLSearchParams([['', s]]).toString().slice(1);
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${btoa(`${form(client.client_id)}:${form(secret)}`)}`);
  };
}

export function clientAuth(rec: Pick<ClientRecord, 'token_endpoint_auth_method' | 'client_secret'>): oauth.ClientAuth {
  switch (rec.token_endpoint_auth_method) {
    case 'client_secret_basic':
      return secretBasic(rec.client_secret ?? '');
    case 'client_secret_post':
      return oauth.ClientSecretPost(rec.client_secret ?? '');
    default:
      return oauth.None();
  }
}

/**
 * The client to use with `issuer` for this connection, registering one if needed.
 * Called before every authorization request.
 */
export async function obtainClient(conn: ConnectionRecord, discovery: DiscoveryRecord, log: Log): Promise<ClientRecord> {
  const { issuer, as } = discovery;
  const pre = conn.preRegistered;
  if (pre) {
    if (pre.issuer && !sameIssuer(pre.issuer, issuer)) {
      // MCP R14: the server moved to another authorization server; the entered client belongs to the old one.
      throw new FlowError(
        'register',
        `The client ID you entered was used with ${pre.issuer}, but this server now uses ${issuer}. ` +
          'Client registrations are bound to one authorization server (MCP SEP-2352); enter a client registered there, or clear the client settings.',
      );
    }
    pre.issuer = issuer;
    log({ step: 'register', outcome: 'ok', detail: `Using the client ID you entered (${pre.clientId}).` });
    conn.registration = 'pre-registered';
    return {
      issuer,
      client_id: pre.clientId,
      ...(pre.clientSecret ? { client_secret: pre.clientSecret } : {}),
      token_endpoint_auth_method: pre.clientSecret ? secretMethod(as) : 'none',
      redirect_uri: redirectUri(),
      method: 'pre-registered',
    };
  }

  const cimd = clientMetadataDocumentUrl();
  if (cimd && as.client_id_metadata_document_supported === true) {
    log({ step: 'register', outcome: 'ok', detail: `The server accepts Client ID Metadata Documents; using ${cimd} as the client ID.` });
    conn.registration = 'metadata-document';
    return { issuer, client_id: cimd, token_endpoint_auth_method: 'none', redirect_uri: redirectUri(), method: 'metadata-document' };
  }

  const d = await db();
  const existing = await d.get('clients', issuer);
  if (existing && existing.method === 'dynamic' && existing.redirect_uri === redirectUri()) {
    log({ step: 'register', outcome: 'ok', detail: `Reusing this browser’s registration at ${issuer} (${existing.client_id}).` });
    conn.registration = discovery.legacy ? 'legacy-dynamic' : 'dynamic';
    return existing;
  }

  if (as.registration_endpoint) {
    // Kept with the flow and stored only with the first tokens, so a flow that fails leaves no
    // client record behind.
    const rec = await register(as, discovery, log);
    conn.registration = discovery.legacy ? 'legacy-dynamic' : 'dynamic';
    return rec;
  }

  throw new FlowError(
    'register',
    `${issuer} offers no way for Keyhole to register itself (no Client ID Metadata Document support this deployment can use, ` +
      'no registration endpoint). Register a client there yourself and enter its client ID in Client settings.',
  );
}

async function register(as: oauth.AuthorizationServer, discovery: DiscoveryRecord, log: Log): Promise<ClientRecord> {
  const endpoint = as.registration_endpoint!;
  const metadata = {
    client_name: 'Keyhole',
    redirect_uris: [redirectUri()],
    // MCP R16: ask for refresh tokens; R9/R10: say what kind of application this is.
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    application_type: applicationType(),
  };
  log({ step: 'register', outcome: 'info', detail: `Registering with ${endpoint} (Dynamic Client Registration, application_type ${metadata.application_type}).`, url: endpoint });
  let registered: Awaited<ReturnType<typeof oauth.processDynamicClientRegistrationResponse>>;
  try {
    const res = await oauth.dynamicClientRegistrationRequest(as, metadata, oauthOptions(endpoint, 'The registration endpoint'));
    registered = await oauth.processDynamicClientRegistrationResponse(await withSecretExpiry(res, log));
  } catch (err) {
    const e = err as { error?: string; error_description?: string; message?: string };
    throw new FlowError(
      'register',
      `Dynamic Client Registration at ${endpoint} failed: ${e.error ? `${e.error}${e.error_description ? ` (${e.error_description})` : ''}` : e.message}. ` +
        'If the server rejects this app’s redirect URI or application type, register a client yourself and enter its client ID in Client settings.',
    );
  }
  if (typeof registered.client_id !== 'string' || registered.client_id === '') {
    throw new FlowError('register', `The registration response from ${endpoint} has no client_id (RFC 7591 §3.2.1).`);
  }
  const echoed = registered.redirect_uris;
  if (Array.isArray(echoed) && !echoed.includes(redirectUri())) {
    throw new FlowError('register', `The registration response from ${endpoint} lists other redirect URIs than Keyhole asked for; it is not used.`);
  }
  const method = (registered.token_endpoint_auth_method ?? (registered.client_secret ? secretMethod(as) : 'none')) as AuthMethod;
  if (!SUPPORTED_AUTH.includes(method)) {
    throw new FlowError('register', `The registration response from ${endpoint} assigns the token endpoint authentication method "${method}", which a browser client cannot use.`);
  }
  if (method !== 'none' && typeof registered.client_secret !== 'string') {
    throw new FlowError('register', `The registration response from ${endpoint} assigns "${method}" but no client_secret.`);
  }
  log({ step: 'register', outcome: 'ok', detail: `Registered as ${registered.client_id} (token endpoint authentication: ${method}).`, url: endpoint, document: { ...registered } });
  return {
    issuer: discovery.issuer,
    client_id: registered.client_id,
    ...(method !== 'none' ? { client_secret: registered.client_secret as string } : {}),
    token_endpoint_auth_method: method,
    redirect_uri: redirectUri(),
    method: 'dynamic',
  };
}

/**
 * RFC 7591 §3.2.1 makes `client_secret_expires_at` required with a secret, and oauth4webapi
 * enforces it; some servers leave it out. Read its absence as "does not expire" (the value 0
 * means exactly that) and say so in the timeline, rather than refusing a usable registration.
 */
async function withSecretExpiry(res: Response, log: Log): Promise<Response> {
  let body: unknown;
  try {
    body = await res.clone().json();
  } catch {
    return res;
  }
  const b = body as { client_secret?: unknown; client_secret_expires_at?: unknown } | null;
  if (!b || typeof b !== 'object' || typeof b.client_secret !== 'string' || b.client_secret_expires_at !== undefined) return res;
  log({ step: 'register', outcome: 'info', detail: 'The registration response has a client_secret without client_secret_expires_at (RFC 7591 §3.2.1); treating the secret as not expiring.' });
  return new Response(JSON.stringify({ ...b, client_secret_expires_at: 0 }), {
    status: res.status,
    statusText: res.statusText,
    headers: { 'content-type': 'application/json' },
  });
}

type ClientAuthRecord = Pick<ClientRecord, 'client_id' | 'client_secret' | 'token_endpoint_auth_method'>;

/** The client Keyhole uses with `issuer` for this connection: its id, secret and token endpoint method. */
export async function clientRecordFor(conn: ConnectionRecord, issuer: string): Promise<ClientAuthRecord> {
  let rec: ClientAuthRecord | undefined;
  if (conn.preRegistered && sameIssuer(conn.preRegistered.issuer, issuer)) {
    rec = {
      client_id: conn.preRegistered.clientId,
      ...(conn.preRegistered.clientSecret ? { client_secret: conn.preRegistered.clientSecret } : {}),
      token_endpoint_auth_method: conn.preRegistered.clientSecret ? secretMethod(conn.discovery!.as) : 'none',
    };
  } else if (conn.registration === 'metadata-document' && clientMetadataDocumentUrl()) {
    rec = { client_id: clientMetadataDocumentUrl()!, token_endpoint_auth_method: 'none' };
  } else {
    rec = await (await db()).get('clients', issuer);
  }
  if (!rec) throw new FlowError('token', `Keyhole has no client registration at ${issuer} any more; authorize again.`);
  return rec;
}

/** The client and its authentication for token and refresh requests at `issuer`. */
export async function clientFor(conn: ConnectionRecord, issuer: string): Promise<{ client: oauth.Client; auth: oauth.ClientAuth }> {
  const rec = await clientRecordFor(conn, issuer);
  return { client: { client_id: rec.client_id }, auth: clientAuth(rec) };
}

/**
 * An ID token in a token response that Keyhole did not ask for (no `openid` scope) is ignored:
 * not validated, kept or shown (rules/token-response.ts), and the timeline says so. With `openid`
 * requested, oauth4webapi validates it as before.
 */
import type { TimelineStep } from '../../protocol.ts';
import { withoutUnrequestedIdToken } from '../rules/token-response.ts';

type Log = (step: Omit<TimelineStep, 'at'>) => void;

export const ID_TOKEN_IGNORED =
  'The token response carries an ID token, not asked for (Keyhole did not request the openid scope): it was ignored, neither checked, kept nor shown.';

/** The token endpoint's answer as oauth4webapi should see it: without an unrequested ID token. */
export async function ignoreUnrequestedIdToken(res: Response, requestedScopes: readonly string[] | undefined, log: Log): Promise<Response> {
  if (res.status !== 200) return res;
  let body: unknown;
  try {
    body = await res.clone().json();
  } catch {
    return res;
  }
  const kept = withoutUnrequestedIdToken(body, requestedScopes);
  if (!kept) return res;
  log({ step: 'token', outcome: 'info', detail: ID_TOKEN_IGNORED });
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(kept), { status: res.status, statusText: res.statusText, headers });
}

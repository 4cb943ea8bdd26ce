/**
 * A failure of one step of the authorization flow, phrased for a person: what failed, which
 * rule, and what they can do. `step` names the step (see TimelineStep.step).
 */
export class FlowError extends Error {
  override name = 'FlowError';
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** A server that did not answer, or did not finish, in time: a fault, never "document absent". */
export class TimeoutError extends FlowError {
  override name = 'TimeoutError';
}

/** No HTTP answer at all (down, offline, DNS, or CORS refusing this origin). */
export class UnreachableError extends FlowError {
  override name = 'UnreachableError';
}

/** A failure that says nothing about the request or the tokens: the same request may work later. */
export function isTransient(err: unknown): boolean {
  return err instanceof TimeoutError || err instanceof UnreachableError;
}

/** What a person reads when the browser refuses to store more for this site. */
export const STORAGE_FULL =
  'the browser refused to store more data for this site (storage quota exceeded). Free some space (close other sites’ tabs, clear other sites’ data, or remove servers you no longer use) and try again.';

/** IndexedDB's answer when the site's storage quota is used up (also a transaction's abort reason). */
export function isQuotaError(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'QuotaExceededError';
}

/** Human text for any error thrown inside a step, without leaking secrets from request bodies. */
export function describeError(step: string, err: unknown): FlowError {
  if (err instanceof FlowError) return err;
  if (isQuotaError(err)) return new FlowError(step, STORAGE_FULL);
  const e = err as { name?: string; message?: string; code?: string; error?: string; error_description?: string };
  let msg = typeof e?.message === 'string' ? e.message : String(err);
  if (e?.error) {
    // ResponseBodyError / AuthorizationResponseError from oauth4webapi: an OAuth error code.
    msg = `the server answered "${e.error}"${e.error_description ? `: ${e.error_description}` : ''}`;
  }
  return new FlowError(step, msg.slice(0, 500));
}

/** The name of a step as a person reads it, to begin an error message with. */
export function stepLabel(step: string): string {
  return (
    {
      challenge: 'Authorization challenge',
      prm: 'Protected resource metadata',
      'as-metadata': 'Authorization server metadata',
      register: 'Client registration',
      authorize: 'Authorization request',
      callback: 'Authorization response',
      token: 'Token request',
      refresh: 'Token refresh',
      'step-up': 'Step-up authorization',
      network: 'Network',
      mcp: 'MCP request',
      revoke: 'Revocation',
    } as Record<string, string>
  )[step] ?? step;
}

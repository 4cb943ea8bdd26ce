/// <reference lib="webworker" />
/**
 * The worker's registry of connections: records loaded from IndexedDB, kept in memory, and
 * turned into token-free views for the page.
 */
declare const self: ServiceWorkerGlobalScope;

import type { ConnectionState, ConnectionView, TimelineStep, ViewsMessage } from '../protocol.ts';
import { describeError, isQuotaError, stepLabel, STORAGE_FULL, type FlowError } from './errors.ts';
import { endpointKey } from './rules/urls.ts';
import { db, onDatabaseDeleted, type ConnectionRecord } from './store.ts';
import { forgetTokens, storageSentence, tokenSummary } from './token-memory.ts';
import { showable } from './rules/showable.ts';
import { appendStep, withdrawStep as withdrawTimelineStep } from './rules/timeline.ts';

const records = new Map<string, ConnectionRecord>();
let loaded: Promise<void> | undefined;

/**
 * The database was deleted under the running worker: what it held (tokens, DPoP keys, client
 * registrations, pending authorizations) is gone, so the copies in memory go too. Each
 * connection stays, written back to the new database, and waits for the person to authorize.
 */
onDatabaseDeleted(() => {
  void (async () => {
    for (const rec of records.values()) {
      forgetTokens(rec.key);
      delete rec.stepUp;
      delete rec.scopesGranted;
      delete rec.authorizationsSinceSuccess;
      addStep(rec, { step: 'storage', outcome: 'fail', detail: 'Keyhole’s storage was cleared; its tokens and registrations are gone.' });
      await transition(rec, 'needs-authorization', { reason: 'Keyhole’s storage on this device was cleared, so its tokens are gone. Authorize again.' });
    }
  })().catch(() => {});
});

/** Loads the records once per worker life; every entry point awaits this first. */
export function ready(): Promise<void> {
  loaded ??= (async () => {
    for (const rec of await (await db()).getAll('connections')) records.set(rec.key, rec);
  })().catch((err) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

export function get(key: string): ConnectionRecord | undefined {
  return records.get(key);
}

export function all(): ConnectionRecord[] {
  return [...records.values()];
}

/** The connection whose MCP endpoint is exactly this request URL, if any. */
export function forRequestUrl(url: string): ConnectionRecord | undefined {
  const key = endpointKey(url);
  for (const rec of records.values()) if (endpointKey(rec.key) === key) return rec;
  return undefined;
}

/** Writes a record through to IndexedDB (without tokens: those are tokens.ts's business). */
export async function save(rec: ConnectionRecord): Promise<void> {
  records.set(rec.key, rec);
  try {
    await (await db()).put('connections', rec);
    const rest = rec.warning?.replace(STORAGE_NOT_SAVED, '').trim();
    if (rest) rec.warning = rest;
    else delete rec.warning;
  } catch (err) {
    if (!isQuotaError(err)) throw err;
    // Storage full: the connection goes on from memory, and the person learns why a restart
    // of the worker would forget its latest state.
    if (!rec.warning?.includes(STORAGE_NOT_SAVED)) addWarning(rec, STORAGE_NOT_SAVED);
  }
}

/** Adds a sentence to what the card warns about, after any warning already there. */
export function addWarning(rec: ConnectionRecord, warning: string): void {
  rec.warning = rec.warning ? `${rec.warning} ${warning}` : warning;
}

const STORAGE_NOT_SAVED = `This connection’s latest state could not be saved: ${STORAGE_FULL}`;

export function forget(key: string): void {
  records.delete(key);
}

/**
 * Records a step in the connection's timeline and returns it as recorded. A step repeating the
 * one before it adds to its count, and a long timeline keeps its first and latest steps
 * (rules/timeline.ts): a card retrying an unreachable server must not grow it without bound.
 */
export function addStep(rec: ConnectionRecord, step: Omit<TimelineStep, 'at'>): TimelineStep {
  const { document, ...rest } = step;
  const shown = document && showable(document);
  const recorded: TimelineStep = { at: Date.now(), ...rest, ...(shown ? { document: shown } : {}) };
  rec.steps = appendStep(rec.steps, recorded);
  return recorded;
}

/** Takes back a step that only said something was under way (`addStep`'s answer), now that its outcome is known. */
export function withdrawStep(rec: ConnectionRecord, step: TimelineStep): void {
  rec.steps = withdrawTimelineStep(rec.steps, step);
}

/** Moves a connection to a new state, persists it, and tells every open tab. */
export async function transition(
  rec: ConnectionRecord,
  state: ConnectionState,
  extra: { error?: string; reason?: string } = {},
): Promise<void> {
  rec.state = state;
  if (extra.error !== undefined) rec.error = extra.error;
  else if (state !== 'error') delete rec.error;
  if (extra.reason !== undefined) rec.reason = extra.reason;
  else if (state !== 'needs-authorization') delete rec.reason;
  await save(rec);
  await broadcast();
}

export function view(rec: ConnectionRecord): ConnectionView {
  const t = tokenSummary(rec.key);
  const v: ConnectionView = {
    serverUrl: rec.serverUrl,
    state: rec.state,
    keepSignedIn: rec.keepSignedIn,
    steps: rec.steps,
    ...(rec.error ? { error: rec.error } : {}),
    ...(rec.reason ? { reason: rec.reason } : {}),
    ...(rec.warning ? { warning: rec.warning } : {}),
    ...(rec.discovery ? { issuer: rec.discovery.issuer } : {}),
    ...(rec.registration ? { registration: rec.registration } : {}),
    ...(rec.scopesRequested ? { scopesRequested: rec.scopesRequested } : {}),
    ...(rec.scopesGranted ? { scopesGranted: rec.scopesGranted } : {}),
    ...t,
    ...(t.tokenKind ? { storage: storageSentence(t.tokenKind, rec.keepSignedIn) } : {}),
  };
  return v;
}

export function views(): ConnectionView[] {
  return all().map(view);
}

export async function broadcast(): Promise<void> {
  const message: ViewsMessage = { type: 'keyhole:views', views: views() };
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

/**
 * A step failed: note it in the timeline and move the connection to `state`, with the message
 * as its error (or, for needs-authorization, as the reason). Returns the error as a FlowError.
 */
export async function recordFailure(
  rec: ConnectionRecord,
  err: unknown,
  step: string,
  state: 'error' | 'needs-authorization',
): Promise<FlowError> {
  const e = describeError(step, err);
  addStep(rec, { step: e.step, outcome: 'fail', detail: e.message });
  const text = `${stepLabel(e.step)}: ${e.message}`;
  await transition(rec, state, state === 'error' ? { error: text } : { reason: text });
  return e;
}

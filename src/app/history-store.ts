/**
 * Every call a person made to a server (a tool call, a resource read, a prompt get), kept in
 * localStorage per server URL, newest first, so it can be looked at, copied or run again after
 * a reload.
 *
 * What is kept is what the person typed and what the server answered, nothing more. It never
 * holds a credential: tokens live in the service worker and the page never sees one, so none can
 * reach a result or an argument here (a value the person typed into a form is theirs to clear).
 *
 * Bounded so one chatty server cannot fill the origin's storage: at most HISTORY_MAX_ENTRIES
 * entries and about HISTORY_MAX_CHARS characters per server; a result whose JSON is longer than
 * RESULT_MAX_CHARS is kept without it (`truncated: true`). A full storage (QuotaExceededError)
 * drops the oldest entries; when even the newest does not fit, nothing is written and nothing throws.
 */
import { jsonLength, newestWithin, readJson, removeKey, webStorage, writeNewestFirst, type StorageLike } from './web-storage.ts';

export type HistoryKind = 'tool' | 'resource' | 'prompt';

export interface HistoryEntry {
  id: string;
  /** When the call was made, in ms since the epoch. */
  at: number;
  kind: HistoryKind;
  /** The tool name, resource URI or prompt name. */
  target: string;
  /** The arguments sent (tool and prompt arguments; a template's variables). */
  args?: Record<string, unknown>;
  durationMs: number;
  outcome: 'ok' | 'error';
  /** The JSON result as returned: CallToolResult, ReadResourceResult or GetPromptResult. */
  result?: unknown;
  /** The error message when the call failed (a protocol or transport error, not a tool's isError). */
  error?: string;
  /** The result was too large to keep. */
  truncated?: true;
  /** The arguments were too large to keep (so the call cannot be run again from here). */
  argsOmitted?: true;
}

/** What a caller records; the store gives it an id and applies the size limits. */
export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'truncated' | 'argsOmitted'> & { id?: string };

export const HISTORY_MAX_ENTRIES = 100;
/** About 200 KB per server: characters of the stored JSON (UTF-16 code units, as Web Storage counts). */
export const HISTORY_MAX_CHARS = 200_000;
/** About 50 KB: a larger result (or argument object) is not kept. */
export const RESULT_MAX_CHARS = 50_000;
/** An error message is cut here: a server may answer with pages of HTML. */
export const ERROR_MAX_CHARS = 2_000;

const PREFIX = 'keyhole.history.v1 ';
const keyOf = (serverUrl: string): string => PREFIX + serverUrl;
const local = (): StorageLike => webStorage('localStorage');

function isEntry(v: unknown): v is HistoryEntry {
  const e = v as Partial<HistoryEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.at === 'number' &&
    (e.kind === 'tool' || e.kind === 'resource' || e.kind === 'prompt') &&
    typeof e.target === 'string' &&
    typeof e.durationMs === 'number' &&
    (e.outcome === 'ok' || e.outcome === 'error') &&
    (e.args === undefined || (typeof e.args === 'object' && e.args !== null && !Array.isArray(e.args))) &&
    (e.error === undefined || typeof e.error === 'string')
  );
}

/** The server's history, newest first; entries of the wrong shape (or a corrupt store) are left out. */
export function loadHistory(serverUrl: string, storage: StorageLike = local()): HistoryEntry[] {
  const stored = readJson(storage, keyOf(serverUrl));
  return Array.isArray(stored) ? stored.filter(isEntry).slice(0, HISTORY_MAX_ENTRIES) : [];
}

/** The entry as kept: an id, and without a result (or arguments) too large to keep. */
function bounded(entry: NewHistoryEntry): HistoryEntry {
  const { id, result, args, error, ...rest } = entry;
  const kept: HistoryEntry = { id: id ?? crypto.randomUUID(), ...rest };
  if (args !== undefined) {
    if (jsonLength(args) <= RESULT_MAX_CHARS) kept.args = args;
    else kept.argsOmitted = true;
  }
  if (result !== undefined) {
    if (jsonLength(result) <= RESULT_MAX_CHARS) kept.result = result;
    else kept.truncated = true;
  }
  if (error !== undefined) kept.error = error.length > ERROR_MAX_CHARS ? `${error.slice(0, ERROR_MAX_CHARS)}…` : error;
  return kept;
}

/**
 * Records a call and returns the server's history as it now is, newest first. When storage is
 * full the oldest entries give way; when it cannot be written at all the list is still returned
 * (the call is shown, just not remembered) and nothing throws.
 */
export function addHistory(serverUrl: string, entry: NewHistoryEntry, storage: StorageLike = local()): HistoryEntry[] {
  const newest = bounded(entry);
  const others = loadHistory(serverUrl, storage).filter((e) => e.id !== newest.id);
  const list = newestWithin([newest, ...others].slice(0, HISTORY_MAX_ENTRIES), HISTORY_MAX_CHARS);
  const stored = writeNewestFirst(storage, keyOf(serverUrl), list);
  return stored.length ? stored : [newest];
}

/** Empties the server's history (the person asked to). */
export function clearHistory(serverUrl: string, storage: StorageLike = local()): void {
  removeKey(storage, keyOf(serverUrl));
}

/** Forgets everything recorded for a server that is removed from the list. */
export function forgetServer(serverUrl: string, storage: StorageLike = local()): void {
  removeKey(storage, keyOf(serverUrl));
}

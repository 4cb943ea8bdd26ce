/**
 * The person's unsent form values per server and form (a tool's arguments, a prompt's, a
 * resource template's variables), so that leaving the page for the authorization server, or a
 * step-up, does not lose what they typed. sessionStorage: it survives the redirect in the same
 * tab and ends with the tab, so typed values do not outlive the session.
 *
 * Bounded to about DRAFTS_MAX_CHARS for all servers together; the least recently saved drafts
 * give way. Nothing here throws into the caller: a full or blocked storage keeps no draft.
 * A text field whose name says it holds a credential is not kept (saveFields).
 */
import { newestWithin, readJson, removeKey, webStorage, writeNewestFirst, type StorageLike } from './web-storage.ts';

/** About 100 KB: characters of the stored JSON (UTF-16 code units, as Web Storage counts). */
export const DRAFTS_MAX_CHARS = 100_000;

const KEY = 'keyhole.drafts.v1';
const session = (): StorageLike => webStorage('sessionStorage');

interface Draft {
  server: string;
  key: string;
  value: unknown;
}

/** The key of a form's draft: one per tool, prompt or resource template of a server. */
export function draftKey(kind: 'tool' | 'prompt' | 'template', name: string): string {
  return `${kind}:${name}`;
}

/** All drafts, most recently saved first; a corrupt store reads as none. */
function loadAll(storage: StorageLike): Draft[] {
  const stored = readJson(storage, KEY);
  return Array.isArray(stored)
    ? stored.filter((d): d is Draft => typeof (d as Draft | null)?.server === 'string' && typeof (d as Draft).key === 'string' && 'value' in (d as Draft))
    : [];
}

function store(storage: StorageLike, drafts: Draft[]): void {
  if (drafts.length) writeNewestFirst(storage, KEY, drafts);
  else removeKey(storage, KEY);
}

/**
 * Remembers a form's values (any JSON value; `undefined` clears the draft). A draft too large to
 * keep on its own is not kept, and an older one for the same form is dropped rather than restored.
 */
export function saveDraft(serverUrl: string, key: string, value: unknown, storage: StorageLike = session()): void {
  const others = loadAll(storage).filter((d) => !(d.server === serverUrl && d.key === key));
  if (value === undefined) return store(storage, others);
  const kept = newestWithin([{ server: serverUrl, key, value }, ...others], DRAFTS_MAX_CHARS);
  store(storage, kept.length ? kept : others);
}

/** The form's saved values, or undefined when there are none. */
export function loadDraft(serverUrl: string, key: string, storage: StorageLike = session()): unknown {
  return loadAll(storage).find((d) => d.server === serverUrl && d.key === key)?.value;
}

/** Forgets a form's draft (it was sent, or the person reset the form). */
export function clearDraft(serverUrl: string, key: string, storage: StorageLike = session()): void {
  saveDraft(serverUrl, key, undefined, storage);
}

/** Forgets every draft of a server that is removed from the list. */
export function forgetDrafts(serverUrl: string, storage: StorageLike = session()): void {
  store(storage, loadAll(storage).filter((d) => d.server !== serverUrl));
}

/**
 * A field whose name says it holds a credential (a password, a token, an API key): its value is
 * never written to page storage (it is typed again after the redirect).
 */
const SECRET_NAME = /passw|passphrase|secret|token|api.?key|credential|private.?key|authorization|bearer|cookie|session.?id/i;

export function looksSecret(fieldName: string): boolean {
  return SECRET_NAME.test(fieldName);
}

/**
 * Remembers a form of named text fields (a prompt's arguments, a template's variables): the
 * filled fields, but none whose name looks secret; nothing left clears the draft.
 */
export function saveFields(serverUrl: string, key: string, values: Record<string, string>, storage: StorageLike = session()): void {
  const kept = Object.entries(values).filter(([name, value]) => value !== '' && !looksSecret(name));
  saveDraft(serverUrl, key, kept.length ? Object.fromEntries(kept) : undefined, storage);
}

/** A form's remembered text fields; anything else stored under its key reads as none. */
export function loadFields(serverUrl: string, key: string, storage: StorageLike = session()): Record<string, string> | undefined {
  const stored = loadDraft(serverUrl, key, storage);
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return undefined;
  const fields = Object.entries(stored as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
  return fields.length ? Object.fromEntries(fields) : undefined;
}

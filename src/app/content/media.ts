/**
 * What of a server's binary content the page will show, and how (pure helpers, no DOM).
 * Only base64 data the server sent inline is ever drawn or played: never a URL the server
 * names (no remote fetch, so no tracking pixels and no requests the person did not make).
 */

/**
 * Image types drawn inline through `data:` URLs (CSP `img-src 'self' data:`).
 *
 * `image/svg+xml` is deliberately not drawn. In an <img> an SVG runs no script and loads
 * nothing external, so it would not break the CSP or track anyone; but it is a whole document
 * renderer (filters, patterns, huge viewBoxes) that a hostile server can make freeze the tab with
 * a few bytes, and nothing an MCP client shows needs it. It is offered for download like any
 * other type Keyhole does not draw.
 */
const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** Audio types played through `data:` URLs (CSP `media-src 'self' data:`). */
const AUDIO_TYPES: ReadonlySet<string> = new Set([
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mpeg',
  'audio/mp3',
  'audio/ogg',
  'audio/opus',
  'audio/webm',
  'audio/flac',
  'audio/x-flac',
  'audio/aac',
  'audio/mp4',
]);

/** Larger content (decoded bytes) is offered for download only, not drawn or played. */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*$/;
const WHITESPACE = /[\t\n\f\r ]+/g;

/** The bare, lower-case type of a MIME type (`IMAGE/PNG; x=y` → `image/png`). */
export function mediaType(mime: string | undefined): string {
  return (mime ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isPreviewableImage(mime: string | undefined): boolean {
  return IMAGE_TYPES.has(mediaType(mime));
}

export function isPlayableAudio(mime: string | undefined): boolean {
  return AUDIO_TYPES.has(mediaType(mime));
}

/**
 * Base64 as a data: URL or atob wants it: whitespace removed, padding added when the sender
 * left it off; undefined when it is not base64 (another alphabet, stray characters, bad length).
 */
export function normalizeBase64(b64: string): string | undefined {
  let s = b64.replace(WHITESPACE, '');
  const pad = /=+$/.exec(s)?.[0].length ?? 0;
  if (pad > 2) return undefined;
  const body = pad ? s.slice(0, -pad) : s;
  if (!BASE64_ALPHABET.test(body) || body.length % 4 === 1) return undefined;
  if (pad && (body.length + pad) % 4 !== 0) return undefined;
  if (!pad) s = body + '='.repeat((4 - (body.length % 4)) % 4);
  return s;
}

/** Whether `b64` is base64 (padding optional, whitespace ignored). */
export function isBase64(b64: string): boolean {
  return normalizeBase64(b64) !== undefined;
}

/** Decoded size of base64 text, without decoding it (an estimate for text that is not base64). */
export function base64ByteLength(b64: string): number {
  const body = b64.replace(WHITESPACE, '').replace(/=+$/, '');
  return Math.floor((body.length * 3) / 4);
}

/** The bytes of base64 text; throws an Error that says what is wrong when it is not base64. */
export function decodeBase64(b64: string): Uint8Array {
  const clean = normalizeBase64(b64);
  if (clean === undefined) {
    const stripped = b64.replace(WHITESPACE, '');
    const bad = /[^A-Za-z0-9+/=]/.exec(stripped);
    throw new Error(
      bad
        ? `The content is not valid base64: unexpected ${JSON.stringify(bad[0])} at position ${bad.index}.`
        : 'The content is not valid base64: its length or padding is wrong.',
    );
  }
  const bin = atob(clean);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * Why inline media is not drawn or played, for the person; undefined when it is. The order is
 * the order of the checks: the type first (a type Keyhole never draws), then the size, then the
 * encoding (the cost of checking grows in that order).
 */
export function previewRefusal(kind: 'image' | 'audio', mime: string | undefined, b64: string): string | undefined {
  const allowed = kind === 'image' ? isPreviewableImage(mime) : isPlayableAudio(mime);
  if (!allowed) return `Keyhole does not ${kind === 'image' ? 'draw' : 'play'} ${mediaType(mime) || 'content of no stated type'}.`;
  const size = base64ByteLength(b64);
  if (size > MAX_PREVIEW_BYTES) return `Too large to ${kind === 'image' ? 'show' : 'play'} here (${formatBytes(size)}; the limit is ${formatBytes(MAX_PREVIEW_BYTES)}).`;
  if (!isBase64(b64)) return 'The server sent it in a form that is not base64.';
  return undefined;
}

function dataUrl(kind: 'image' | 'audio', mime: string | undefined, b64: string): string | undefined {
  if (previewRefusal(kind, mime, b64) !== undefined) return undefined;
  // Only the bare type from the allowlist goes into the URL, never the server's parameters.
  return `data:${mediaType(mime)};base64,${normalizeBase64(b64)!}`;
}

/** A data: URL to draw the image, or undefined if it is not a type, form or size Keyhole draws. */
export function imageDataUrl(mime: string | undefined, b64: string): string | undefined {
  return dataUrl('image', mime, b64);
}

/** An icon is drawn small; a larger one is not worth decoding (and may be a tab-freezing trap). */
export const MAX_ICON_BYTES = 64 * 1024;

/**
 * The `src` for an MCP `icons` entry (2025-11-25 and later: server, tool, resource, prompt), or
 * undefined. Only a base64 `data:` URL of a raster type Keyhole draws, at most MAX_ICON_BYTES: an
 * https icon would be a request the person did not make (and the CSP's `img-src 'self' data:`
 * refuses it anyway), and SVG is not drawn for the reason given at IMAGE_TYPES. The first usable
 * entry wins.
 */
export function iconSrc(icons: readonly { src?: unknown; mimeType?: unknown }[] | undefined): string | undefined {
  for (const icon of icons ?? []) {
    if (typeof icon?.src !== 'string') continue;
    const m = /^data:([^,;]*)((?:;[^,;]*)*);base64,(.*)$/is.exec(icon.src);
    if (!m) continue;
    const b64 = m[3]!;
    if (base64ByteLength(b64) > MAX_ICON_BYTES) continue;
    const url = imageDataUrl(m[1] || (typeof icon.mimeType === 'string' ? icon.mimeType : undefined), b64);
    if (url) return url;
  }
  return undefined;
}

/** A data: URL to play the audio, or undefined if it is not a type, form or size Keyhole plays. */
export function audioDataUrl(mime: string | undefined, b64: string): string | undefined {
  return dataUrl('audio', mime, b64);
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '? B';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** File name extensions for types a downloaded file is likely to be, when its URI names none. */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/webm': 'weba',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'application/pdf': 'pdf',
  'application/json': 'json',
  'application/zip': 'zip',
  'text/plain': 'txt',
  'text/csv': 'csv',
};

/**
 * A file name for downloading content: the URI's last path segment, made safe (letters, digits,
 * `.`, `_`, `-`; at most 100 characters; no leading dot), with an extension from the MIME type
 * when it has none; "resource" when nothing usable is left.
 */
export function downloadName(uri: string, mime?: string): string {
  const path = uri.split(/[?#]/)[0]!;
  let last = path.split('/').filter(Boolean).pop() ?? '';
  // A URI with no path (`demo:logo`, `x://host`) still names something after its scheme.
  if (!path.includes('/')) last = path.replace(/^[a-z][a-z0-9+.-]*:/i, '');
  let safe: string;
  try {
    safe = decodeURIComponent(last);
  } catch {
    safe = last;
  }
  safe = safe
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, 100);
  if (!safe || /^_*$/.test(safe)) safe = 'resource';
  const ext = EXTENSIONS[mediaType(mime)];
  if (ext && !/\.[A-Za-z0-9]{1,8}$/.test(safe)) safe = `${safe}.${ext}`;
  return safe;
}

/**
 * The top-level members an output schema requires that the structured content lacks. Full
 * validation is the SDK's (it checks results against the tool's outputSchema); this only names
 * what is missing, for the person.
 */
export function missingRequired(schema: Record<string, unknown> | undefined, value: unknown): string[] {
  const required = Array.isArray(schema?.required) ? (schema.required as unknown[]).filter((k): k is string => typeof k === 'string') : [];
  if (!required.length) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return required;
  return required.filter((k) => !Object.prototype.hasOwnProperty.call(value, k));
}

/** Text cut at `limit` characters, and whether it was cut (without splitting a surrogate pair). */
export function truncateText(text: string, limit: number): { shown: string; cut: boolean } {
  if (text.length <= limit) return { shown: text, cut: false };
  let end = limit;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { shown: text.slice(0, end), cut: true };
}

/** JSON for people: two-space indents; a value JSON cannot hold is said to be so, not thrown. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch (err) {
    return `(not representable as JSON: ${(err as Error).message})`;
  }
}

export interface AnnotationsLike {
  audience?: string[];
  priority?: number;
  lastModified?: string;
}

/** MCP annotations in words ("For user · Priority 0.8 · Modified …"), or '' if there are none. */
export function describeAnnotations(a: AnnotationsLike | undefined): string {
  if (!a || typeof a !== 'object') return '';
  const parts: string[] = [];
  if (Array.isArray(a.audience) && a.audience.length) parts.push(`For ${a.audience.map(String).join(' and ')}`);
  if (typeof a.priority === 'number') parts.push(`Priority ${a.priority}`);
  if (typeof a.lastModified === 'string' && a.lastModified) parts.push(`Modified ${a.lastModified}`);
  return parts.join(' · ');
}

/**
 * What an MCP server's unusable answer means for the person who typed its address. Pure: it
 * reads errors by their shape (the SDK's `code` and `data`, the `cause` chain), so it is tested
 * without the SDK.
 */

/** The SDK's code for a 200 answer that is neither JSON nor an event stream (SdkErrorCode.ClientHttpUnexpectedContent). */
const UNEXPECTED_CONTENT = 'CLIENT_HTTP_UNEXPECTED_CONTENT';

/** Where MCP servers usually answer, said with every "this is not an MCP endpoint". */
const CHECK_URL = 'Check the URL: MCP servers usually answer at a path such as /mcp.';

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  data?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (bounded: a cause chain may loop). */
function chain(err: unknown): ErrorShape[] {
  const out: ErrorShape[] = [];
  for (let e = err; typeof e === 'object' && e !== null && out.length < 8 && !out.includes(e as ErrorShape); e = (e as ErrorShape).cause) {
    out.push(e as ErrorShape);
  }
  return out;
}

/**
 * The content type of an answer the client could not use (the SDK's "Unexpected content type"),
 * wherever it is in the cause chain (the version negotiation probe wraps it): a string, `null`
 * when the answer had none, `undefined` when this is not such an error.
 */
export function unexpectedContentType(err: unknown): string | null | undefined {
  for (const e of chain(err)) {
    if (e.code === UNEXPECTED_CONTENT) {
      const type = (e.data as { contentType?: unknown } | undefined)?.contentType;
      return typeof type === 'string' && type.trim() ? type.trim() : null;
    }
  }
  return undefined;
}

/** The media type without its parameters, lowercased (RFC 9110 §8.3.1). */
function essence(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/**
 * An MCP endpoint answers a POST with application/json or text/event-stream (MCP Streamable
 * HTTP transport); anything else means the address is not one.
 */
export function explainContentType(contentType: string | null): string {
  if (contentType === null) {
    return `This address answered without a content type, not as an MCP endpoint does (application/json or text/event-stream). ${CHECK_URL}`;
  }
  const type = essence(contentType) || contentType;
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    return `This address serves a web page (${type}), not an MCP endpoint. ${CHECK_URL}`;
  }
  return `This address answered with ${type}, not as an MCP endpoint does (application/json or text/event-stream). ${CHECK_URL}`;
}

/** An HTTP error body that is a web page: the address is a web site's, not an MCP endpoint's. */
export function isHtmlBody(text: unknown): boolean {
  return typeof text === 'string' && /^\s*(?:<!doctype html|<html[\s>])/i.test(text);
}

/**
 * A person's reading of why the session could not use what the server answered, or `undefined`
 * when the error is not one this module knows. The client's own words follow as the detail.
 */
export function explainUnusableAnswer(err: unknown): string | undefined {
  const type = unexpectedContentType(err);
  if (type === undefined) return undefined;
  const innermost = chain(err).find((e) => e.code === UNEXPECTED_CONTENT);
  const detail = typeof innermost?.message === 'string' ? ` (The client said: ${innermost.message}.)` : '';
  return explainContentType(type) + detail;
}

/** For an HTTP error whose body is a web page: what it means, instead of the page's HTML. */
export function explainHtmlError(status: number | undefined): string {
  return `This address answered HTTP ${status ?? '?'} with a web page (text/html), not as an MCP endpoint does. ${CHECK_URL}`;
}

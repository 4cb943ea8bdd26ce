import { describe, expect, it } from 'vitest';
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { explainContentType, explainHtmlError, explainUnusableAnswer, isHtmlBody, unexpectedContentType } from '../../src/app/explain-error.ts';

/** The errors the SDK throws for a 200 answer that is neither JSON nor an event stream. */
function unexpected(contentType: string | null): SdkError {
  return new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `Unexpected content type: ${contentType}`, { contentType });
}
function probeFailed(cause: Error): SdkError {
  return new SdkError(SdkErrorCode.EraNegotiationFailed, `Version negotiation probe failed: the server answered with an unusable reply (${cause.message})`, { cause }, { cause });
}

describe('an address that is not an MCP endpoint (issue 20, item 7)', () => {
  it('a web page is called one, with where MCP servers usually answer', () => {
    expect(explainContentType('text/html; charset=utf-8')).toBe(
      'This address serves a web page (text/html), not an MCP endpoint. Check the URL: MCP servers usually answer at a path such as /mcp.',
    );
    expect(explainContentType('Application/XHTML+XML')).toMatch(/^This address serves a web page \(application\/xhtml\+xml\)/);
  });

  it('any other type is named', () => {
    expect(explainContentType('text/plain;charset=UTF-8')).toBe(
      'This address answered with text/plain, not as an MCP endpoint does (application/json or text/event-stream). Check the URL: MCP servers usually answer at a path such as /mcp.',
    );
    expect(explainContentType('image/png')).toContain('answered with image/png');
    expect(explainContentType(null)).toMatch(/^This address answered without a content type/);
  });

  it('finds the content type through the version negotiation probe that wraps it', () => {
    expect(unexpectedContentType(probeFailed(unexpected('text/html; charset=utf-8')))).toBe('text/html; charset=utf-8');
    expect(unexpectedContentType(unexpected('text/plain'))).toBe('text/plain');
    expect(unexpectedContentType(unexpected(null))).toBeNull();
    expect(unexpectedContentType(new Error('Unexpected content type: text/html'))).toBeUndefined();
    expect(unexpectedContentType(new TypeError('Failed to fetch'))).toBeUndefined();
    expect(unexpectedContentType('text/html')).toBeUndefined();
  });

  it('keeps the client’s own words as the detail', () => {
    expect(explainUnusableAnswer(probeFailed(unexpected('text/html')))).toBe(
      'This address serves a web page (text/html), not an MCP endpoint. Check the URL: MCP servers usually answer at a path such as /mcp. (The client said: Unexpected content type: text/html.)',
    );
    expect(explainUnusableAnswer(new Error('something else'))).toBeUndefined();
  });

  it('survives a cause chain that loops', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(unexpectedContentType(a)).toBeUndefined();
  });

  it('an HTTP error whose body is a web page is said in words, not in HTML', () => {
    expect(isHtmlBody('<!DOCTYPE html><html><body>Not here</body></html>')).toBe(true);
    expect(isHtmlBody('  <html lang="en">')).toBe(true);
    expect(isHtmlBody('Not found')).toBe(false);
    expect(isHtmlBody('{"error":"x"}')).toBe(false);
    expect(isHtmlBody(null)).toBe(false);
    expect(explainHtmlError(404)).toBe(
      'This address answered HTTP 404 with a web page (text/html), not as an MCP endpoint does. Check the URL: MCP servers usually answer at a path such as /mcp.',
    );
  });
});

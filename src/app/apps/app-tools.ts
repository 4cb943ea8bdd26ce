/**
 * Which tools have an MCP App and who may call them (MCP Apps SEP-1865, "Resource Discovery"
 * and "Visibility"), read with the extension's own helpers.
 */
import type { Tool } from '@modelcontextprotocol/client';
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';

/** The extension id a host declares in its client capabilities (SEP-1724 extensions). */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** The tool's `ui://` resource, or undefined (also for a malformed one: the tool stays a plain tool). */
export function appResourceOf(tool: Tool | undefined): string | undefined {
  if (!tool) return undefined;
  try {
    return getToolUiResourceUri(tool);
  } catch {
    return undefined;
  }
}

function visibility(tool: Tool): string[] {
  const v = (tool._meta as { ui?: { visibility?: unknown } } | undefined)?.ui?.visibility;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : ['model', 'app'];
}

/** Only its app may call it: the person's form does not (visibility without "model"). */
export function isAppOnly(tool: Tool): boolean {
  return !visibility(tool).includes('model');
}

/** An app may call it ("Host MUST reject tools/call requests from apps for tools that don't include "app""). */
export function appMayCall(tool: Tool): boolean {
  return visibility(tool).includes('app');
}

export function isAppResource(uri: string, mimeType?: string): boolean {
  return uri.startsWith('ui://') && (mimeType === undefined || mimeType.startsWith('text/html'));
}

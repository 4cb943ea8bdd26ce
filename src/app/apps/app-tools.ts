/**
 * Which tools have an MCP App and who may call them (MCP Apps SEP-1865, "Resource Discovery"
 * and "Visibility"). The workbench reads this for every tool list, so it holds no code of
 * ext-apps (whose AppBridge comes with `<mcp-app-view>`, app-view-loader.ts): `appResourceOf`
 * follows ext-apps' `getToolUiResourceUri`, and a unit test holds it to it (app-tools.test.ts).
 */
import type { Tool } from '@modelcontextprotocol/client';

/** The deprecated flat form of `_meta.ui.resourceUri` (ext-apps' RESOURCE_URI_META_KEY). */
const FLAT_RESOURCE_URI_KEY = 'ui/resourceUri';

/** The extension id a host declares in its client capabilities (SEP-1724 extensions). */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** The tool's `ui://` resource, or undefined (also for a malformed one: the tool stays a plain tool). */
export function appResourceOf(tool: Pick<Tool, '_meta'> | undefined): string | undefined {
  const meta = tool?._meta as { ui?: { resourceUri?: unknown }; [FLAT_RESOURCE_URI_KEY]?: unknown } | undefined;
  const nested = meta?.ui?.resourceUri;
  const uri = nested === undefined ? meta?.[FLAT_RESOURCE_URI_KEY] : nested;
  return typeof uri === 'string' && uri.startsWith('ui://') ? uri : undefined;
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

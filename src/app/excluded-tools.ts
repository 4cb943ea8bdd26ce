/**
 * Tools the server listed that the person does not see: the SDK client leaves out every tool
 * whose `x-mcp-header` annotation is invalid (MCP 2026-07-28, SEP-2243: a client MUST exclude
 * it, SHOULD say which and why). The SDK only logs that to the console; the Tools tab says it,
 * from the server's own answers as the protocol view recorded them.
 */
import type { Tool } from '@modelcontextprotocol/client';
import { scanHeaderDeclarations } from './mcp-param-headers.ts';
import type { WireEntry } from './wire-log.ts';

export interface ExcludedTool {
  name: string;
  /** Why its annotation is invalid. */
  reason: string;
}

/**
 * The tools of the last full listing (the last `tools/list` sent without a cursor and the pages
 * answered after it) that are not among `kept` because their annotation is invalid.
 */
export function excludedTools(entries: readonly WireEntry[], kept: readonly Tool[]): ExcludedTool[] {
  let start = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.dir === 'out' && e.kind === 'request' && e.method === 'tools/list' && !cursorOf(e)) {
      start = i;
      break;
    }
  }
  if (start < 0) return [];
  const session = entries[start]!.session;
  const keptNames = new Set(kept.map((t) => t.name));
  const out = new Map<string, ExcludedTool>();
  for (const e of entries.slice(start)) {
    if (e.session !== session || e.dir !== 'in' || e.kind !== 'response' || e.method !== 'tools/list') continue;
    const listed = (e.message as { result?: { tools?: unknown } }).result?.tools;
    if (!Array.isArray(listed)) continue;
    for (const tool of listed as { name?: unknown; inputSchema?: unknown }[]) {
      if (typeof tool?.name !== 'string' || keptNames.has(tool.name)) continue;
      const scan = scanHeaderDeclarations(tool.inputSchema);
      if (!scan.valid) out.set(tool.name, { name: tool.name, reason: scan.reason });
    }
  }
  return [...out.values()];
}

function cursorOf(e: WireEntry): unknown {
  return (e.message as { params?: { cursor?: unknown } }).params?.cursor;
}

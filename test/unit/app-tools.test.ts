/**
 * `appResourceOf` (src/app/apps/app-tools.ts) keeps ext-apps out of the workbench's chunk by
 * reading a tool's app resource itself; it must agree with the extension's own
 * `getToolUiResourceUri` on every form, where a malformed one is a plain tool (no app).
 */
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';
import { describe, expect, it } from 'vitest';
import { appResourceOf } from '../../src/app/apps/app-tools.ts';

const official = (tool: { _meta?: Record<string, unknown> }): string | undefined => {
  try {
    return getToolUiResourceUri(tool);
  } catch {
    return undefined;
  }
};

const TOOLS: { _meta?: Record<string, unknown> }[] = [
  {},
  { _meta: {} },
  { _meta: { ui: { resourceUri: 'ui://demo/app.html' } } },
  { _meta: { 'ui/resourceUri': 'ui://demo/flat.html' } },
  { _meta: { ui: { resourceUri: 'ui://demo/nested.html' }, 'ui/resourceUri': 'ui://demo/flat.html' } },
  { _meta: { ui: {}, 'ui/resourceUri': 'ui://demo/flat.html' } },
  { _meta: { ui: { resourceUri: null }, 'ui/resourceUri': 'ui://demo/flat.html' } },
  { _meta: { ui: { resourceUri: 'https://demo/app.html' } } },
  { _meta: { ui: { resourceUri: 42 } } },
  { _meta: { 'ui/resourceUri': ['ui://demo/a.html'] } },
  { _meta: { ui: 'ui://demo/app.html' } },
  { _meta: { ui: { resourceUri: 'UI://demo/app.html' } } },
];

describe('appResourceOf', () => {
  it.each(TOOLS.map((t) => [JSON.stringify(t), t] as const))('agrees with ext-apps for %s', (_, tool) => {
    expect(appResourceOf(tool)).toBe(official(tool));
  });

  it('finds both forms', () => {
    expect(appResourceOf(TOOLS[2])).toBe('ui://demo/app.html');
    expect(appResourceOf(TOOLS[3])).toBe('ui://demo/flat.html');
    expect(appResourceOf(undefined)).toBeUndefined();
  });
});

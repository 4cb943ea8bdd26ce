/**
 * The workbench of a connected server: its tabs (what it offers, what was done, what it says,
 * the wire) and the actions that start in them. Loaded with `import()` when a card first opens a
 * session (server-card.ts, loadWorkbench), together with the MCP SDK client and zod, so the
 * first load of the page carries none of them: the card's header, state and Authorize draw
 * without this module. The worker precaches its chunk like every other file (offline use).
 *
 * It draws into the card's shadow root (the card's styles apply) and changes the card's state
 * through `WorkbenchHost`.
 */
// zod must be told not to generate code before the SDK's first schema parses (Trusted Types).
import './zod-jitless.ts';
import { html, nothing, type TemplateResult } from 'lit';
import type { LoggingLevel, Root } from '@modelcontextprotocol/client';
import { isAppOnly } from './apps/app-tools.ts';
import type { HistoryEntry } from './history-store.ts';
import type { LogEntry, McpSession } from './mcp-session.ts';
import type { SavedServer } from './servers-store.ts';
import type { ToolCalls } from './tool-calls.ts';
import type { WireLog } from './wire-log.ts';
import './panels/ask-view.ts';
import './panels/history-view.ts';
import './panels/log-view.ts';
import type { PromptsPanel } from './panels/prompts-panel.ts';
import './panels/prompts-panel.ts';
import type { ResourcesPanel } from './panels/resources-panel.ts';
import './panels/resources-panel.ts';
import './panels/roots-editor.ts';
import type { ToolCallRequest, ToolDraft } from './panels/tools-panel.ts';
import './panels/tasks-view.ts';
import './panels/tools-panel.ts';
import './panels/wire-view.ts';

export { McpSession } from './mcp-session.ts';

export const TABS = ['Tools', 'Tasks', 'Resources', 'Prompts', 'History', 'Log', 'Protocol', 'Roots'] as const;
export type Tab = (typeof TABS)[number];

/** What of the card the workbench reads and changes. */
export interface WorkbenchHost {
  readonly server: SavedServer;
  tab: Tab;
  toolSelected: string | undefined;
  history: HistoryEntry[];
  logs: LogEntry[];
  readonly updates: Map<string, number>;
  readonly listsVersion: number;
  readonly wire: WireLog;
  readonly calls: ToolCalls;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  showToolResult(name: string): Promise<void>;
  clearHistory(): void;
  log(entry: LogEntry): void;
  /** The roots changed: saved with the server, then told to it. */
  setRoots(roots: Root[]): void;
}

/** The tabs whose list is fetched when they first show (mcp-session.ts, ensureListed). */
const LISTED_ON_SHOW = { Resources: 'resources', Prompts: 'prompts' } as const;

/** The shown tab's list, asked for once (a no-op after the first time); the Tasks tab loads the task runner. */
export function listShownTab(host: WorkbenchHost, session: McpSession): Promise<void> {
  if (host.tab === 'Tasks') return session.ensureTasks().then(() => {}, () => {});
  const kind = LISTED_ON_SHOW[host.tab as keyof typeof LISTED_ON_SHOW];
  return kind ? session.ensureListed(kind) : Promise.resolve();
}

export function renderWorkbench(host: WorkbenchHost, session: McpSession): TemplateResult {
  // A count only for what was listed: resources and prompts are listed when their tab first shows.
  const count: Partial<Record<Tab, number>> = {
    Tools: session.tools.length,
    ...(session.listed.has('resources') ? { Resources: session.resources.length + session.templates.length } : {}),
    ...(session.listed.has('prompts') ? { Prompts: session.prompts.length } : {}),
    History: host.history.length,
    Log: host.logs.length,
  };
  // Every tab is always there, even empty: a resource link in a tool result is read in
  // Resources whether or not the server lists resources.
  const tabs = [...TABS];
  const current = tabs.includes(host.tab) ? host.tab : 'Tools';
  return html`
    <div class="tabs" role="tablist" aria-label="Workbench for ${host.server.serverUrl}" @keydown=${(e: KeyboardEvent) => onTabKey(host, e, tabs)}>
      ${tabs.map(
        (t) => html`<button
          role="tab"
          id="tab-${t}"
          aria-selected=${t === current ? 'true' : 'false'}
          aria-controls="panel-${t}"
          tabindex=${t === current ? 0 : -1}
          @click=${() => (host.tab = t)}
        >
          ${t}${count[t] !== undefined ? html` <span class="count">(${count[t]})</span>` : nothing}
        </button>`,
      )}
    </div>
    ${tabs.map(
      // Every panel stays in the page, hidden when not chosen: what was read or typed in one
      // is still there when the person comes back to it.
      (t) => html`<div id="panel-${t}" role="tabpanel" aria-labelledby="tab-${t}" data-tab=${t} ?hidden=${t !== current}>
        ${renderTab(host, t, session)}
      </div>`,
    )}
  `;
}

/** Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern, automatic activation). */
function onTabKey(host: WorkbenchHost, e: KeyboardEvent, tabs: Tab[]): void {
  if ((e.target as HTMLElement).getAttribute('role') !== 'tab') return;
  const i = tabs.indexOf(host.tab);
  const next =
    e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs.at(-1) : undefined;
  if (!next) return;
  e.preventDefault();
  host.tab = next;
  void host.updateComplete.then(() => host.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
}

function renderTab(host: WorkbenchHost, tab: Tab, session: McpSession) {
  switch (tab) {
    case 'Tools':
      return html`<tools-panel
        .session=${session}
        .tools=${session.tools}
        .excluded=${session.excludedTools}
        .outputs=${host.calls.outputs}
        .drafts=${host.calls.drafts}
        .selected=${host.toolSelected}
        @tool-open=${(e: CustomEvent<string>) => (host.toolSelected = e.detail)}
        @call-tool=${(e: CustomEvent<ToolCallRequest>) => void host.calls.call(e.detail.name, e.detail.args)}
        @cancel-tool=${(e: CustomEvent<string>) => host.calls.cancel(e.detail)}
        @tool-draft=${(e: CustomEvent<{ name: string; draft: ToolDraft }>) => host.calls.keepDraft(e.detail.name, e.detail.draft)}
        @tool-invalid=${(e: CustomEvent<string>) => host.calls.fail(e.detail, 'Invalid arguments: they must be a JSON object.')}
        @read-resource=${(e: CustomEvent<{ uri: string }>) => void readLinked(host, session, e.detail.uri)}
      ></tools-panel>`;
    case 'Tasks':
      // The runner's code comes when the tab first shows (listShownTab), unless a task brought it earlier.
      return session.tasksPending ? listing('tasks') : html`<tasks-view .runner=${session.tasks}></tasks-view>`;
    case 'Resources':
      return session.listed.has('resources')
        ? html`<resources-panel .session=${session} .updates=${host.updates} .version=${host.listsVersion}></resources-panel>`
        : listing('resources');
    case 'Prompts':
      return session.listed.has('prompts') ? html`<prompts-panel .session=${session} .version=${host.listsVersion}></prompts-panel>` : listing('prompts');
    case 'History':
      return html`<history-view
        .entries=${host.history}
        @history-rerun=${(e: CustomEvent<HistoryEntry>) => void rerun(host, session, e.detail)}
        @history-clear=${() => host.clearHistory()}
      ></history-view>`;
    case 'Log':
      return html`<log-view
        .entries=${host.logs}
        .canSetLevel=${!!session.capabilities?.logging}
        @set-log-level=${(e: CustomEvent<LoggingLevel>) => void setLogLevel(host, session, e.detail)}
        @clear-log=${() => (host.logs = [])}
      ></log-view>`;
    case 'Protocol':
      return html`<wire-view .log=${host.wire} .active=${host.tab === 'Protocol'}></wire-view>`;
    case 'Roots':
      return html`<roots-editor .roots=${host.server.roots ?? []} @roots-changed=${(e: CustomEvent<Root[]>) => host.setRoots(e.detail)}></roots-editor>`;
  }
}

/** While a list is asked for the first time (its tab just showed). */
function listing(what: string) {
  return html`<p class="hint" role="status">Listing ${what}…</p>`;
}

/** Shows a tab once its list is there (its panel exists then). */
async function showTab(host: WorkbenchHost, session: McpSession, tab: Tab): Promise<void> {
  host.tab = tab;
  await listShownTab(host, session);
  await host.updateComplete;
}

/** A resource link in a result: read in the Resources tab, where reads live. */
export async function readLinked(host: WorkbenchHost, session: McpSession, uri: string): Promise<void> {
  await showTab(host, session, 'Resources');
  const panel = host.renderRoot.querySelector<ResourcesPanel>('resources-panel');
  if (panel) {
    await panel.read(uri);
    panel.scrollIntoView({ block: 'nearest' });
  }
}

/** "Run again" from the history: the same arguments, loaded into the form and sent. */
async function rerun(host: WorkbenchHost, session: McpSession, entry: HistoryEntry): Promise<void> {
  const args = (entry.args ?? {}) as Record<string, unknown>;
  if (entry.kind === 'tool') {
    host.calls.load(entry.target, args);
    await host.showToolResult(entry.target);
    // A tool the server offers to apps only is called by its app, never from the workbench (MCP
    // Apps: visibility ["app"]); its form shows why, with the arguments loaded.
    const tool = session.tools.find((t) => t.name === entry.target);
    if (tool && isAppOnly(tool)) return;
    void host.calls.call(entry.target, args);
  } else if (entry.kind === 'resource') {
    await readLinked(host, session, entry.target);
  } else {
    await showTab(host, session, 'Prompts');
    await host.renderRoot.querySelector<PromptsPanel>('prompts-panel')?.run(entry.target, args as Record<string, string>);
  }
}

async function setLogLevel(host: WorkbenchHost, session: McpSession, level: LoggingLevel): Promise<void> {
  try {
    await session.setLogLevel(level);
  } catch (err) {
    host.log({ at: Date.now(), level: 'error', logger: 'keyhole', data: `The server refused log level ${level}: ${(err as Error).message}` });
  }
}

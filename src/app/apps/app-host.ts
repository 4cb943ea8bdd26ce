/**
 * One running MCP App, host side: the ext-apps AppBridge over a SandboxTransport to its sandbox
 * proxy frame (MCP Apps SEP-1865, "Lifecycle"). The bridge answers `ui/initialize`; this class
 * decides what the app may do:
 * - `tools/call`: only tools of this server whose visibility includes "app", each tool's first
 *   call confirmed by the person (remembered for the MCP session), then sent through the card's
 *   SDK session, so the service worker adds the credentials as for any call; the app gets the
 *   result and nothing else.
 * - `resources/read`: this server's resources, through the same session.
 * - `ui/open-link`: http(s) only, opened in a new tab only after the person presses Open.
 * - `ui/message`, `ui/update-model-context`, log messages: shown in the app's log (Keyhole has no
 *   model to hand them to).
 * Every message also goes into the card's protocol view (the session's WireLog).
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { AppBridge, type McpUiHostContext, type McpUiResourceCsp } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { McpSession } from '../mcp-session.ts';
import { allow, isAllowed } from './app-consent.ts';
import { appMayCall } from './app-tools.ts';
import { SandboxTransport } from './sandbox-transport.ts';

/** What the host needs from the view that shows the app. */
export interface AppHostView {
  log(text: string): void;
  /** Asks the person; resolves true when allowed. */
  ask(question: { kind: 'tool'; tool: string; args: Record<string, unknown> } | { kind: 'link'; url: string }): Promise<boolean>;
  resize(size: { width?: number; height?: number }): void;
  displayMode(mode: 'inline' | 'fullscreen'): 'inline' | 'fullscreen';
  /** The sandbox proxy answered (`ui/notifications/sandbox-proxy-ready`): the app can load. */
  sandboxReady(): void;
}

export interface AppStart {
  session: McpSession;
  frame: Window;
  sandboxOrigin: string;
  html: string;
  csp: McpUiResourceCsp | undefined;
  tool?: Tool;
  input?: Record<string, unknown>;
  result?: CallToolResult;
  hostContext: McpUiHostContext;
}

class Refused extends Error {}

export class AppHost {
  private bridge: AppBridge | undefined;
  private initialized = false;
  private result: CallToolResult | undefined;

  constructor(private readonly view: AppHostView) {}

  async start(s: AppStart): Promise<void> {
    this.result = s.result;
    const bridge = new AppBridge(
      null,
      { name: 'Keyhole', version: __KEYHOLE_VERSION__ },
      {
        openLinks: {},
        serverTools: {},
        serverResources: {},
        logging: {},
        // What the sandbox applies: the declared domains that are origins; no permissions.
        sandbox: { ...(s.csp ? { csp: s.csp } : {}) },
      },
      { hostContext: s.hostContext },
    );
    bridge.onsandboxready = () => {
      this.view.sandboxReady();
      void bridge.sendSandboxResourceReady({ html: s.html, ...(s.csp ? { csp: s.csp } : {}) });
    };
    bridge.oninitialized = () => {
      this.initialized = true;
      const app = bridge.getAppVersion();
      this.view.log(`The app${app ? ` ${app.name} ${app.version}` : ''} started.`);
      // "Host MUST send this notification with the complete tool arguments after the View's initialize request completes."
      if (s.tool) void bridge.sendToolInput({ arguments: s.input ?? {} });
      if (this.result) void bridge.sendToolResult(this.result);
    };
    bridge.onsizechange = (size) => this.view.resize(size);
    bridge.oncalltool = (params) => this.callTool(s.session, params.name, (params.arguments ?? {}) as Record<string, unknown>);
    bridge.onreadresource = async (params) => {
      this.view.log(`The app read ${params.uri}.`);
      return s.session.readResource(params.uri, { record: false });
    };
    bridge.onopenlink = async ({ url }) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        this.view.log(`The app asked to open an invalid address; refused.`);
        throw new Refused('Invalid URL');
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        this.view.log(`The app asked to open ${parsed.protocol} address; refused (http and https only).`);
        throw new Refused('Policy violation');
      }
      if (!(await this.view.ask({ kind: 'link', url: parsed.href }))) {
        this.view.log(`You did not open ${parsed.href}.`);
        throw new Refused('Link opening denied by user');
      }
      window.open(parsed.href, '_blank', 'noopener,noreferrer');
      this.view.log(`Opened ${parsed.href} in a new tab.`);
      return {};
    };
    bridge.onmessage = async (params) => {
      const text = params.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' ');
      this.view.log(`The app says (${params.role}): ${text}`);
      return {};
    };
    bridge.onupdatemodelcontext = async () => {
      this.view.log('The app updated its context for the model (Keyhole has no model; kept nowhere).');
      return {};
    };
    bridge.onloggingmessage = (params) => this.view.log(`App log (${params.level}): ${typeof params.data === 'string' ? params.data : JSON.stringify(params.data)}`);
    bridge.onrequestdisplaymode = async ({ mode }) => ({ mode: this.view.displayMode(mode === 'fullscreen' ? 'fullscreen' : 'inline') });
    bridge.onrequestteardown = () => this.view.log('The app asked to be closed.');

    const transport = new SandboxTransport(s.frame, s.sandboxOrigin, (why) => this.view.log(why));
    s.session.wire.attach(transport);
    this.bridge = bridge;
    await bridge.connect(transport);
  }

  /** A later result of the same tool (the person called it again): handed to the running app. */
  update(result: CallToolResult | undefined): void {
    if (!result || result === this.result) return;
    this.result = result;
    if (this.initialized) void this.bridge?.sendToolResult(result);
  }

  setContext(context: McpUiHostContext): void {
    this.bridge?.setHostContext(context);
  }

  private async callTool(session: McpSession, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    const tool: Tool | undefined = session.tools.find((t) => t.name === name);
    if (!tool) {
      this.view.log(`The app asked to call ${name}, which this server does not offer; refused.`);
      throw new Refused(`Unknown tool: ${name}`);
    }
    if (!appMayCall(tool)) {
      this.view.log(`The app asked to call ${name}, which the server did not make callable from apps; refused.`);
      throw new Refused(`${name} is not callable from an app`);
    }
    if (!isAllowed(session, name)) {
      if (!(await this.view.ask({ kind: 'tool', tool: name, args }))) {
        this.view.log(`You did not let the app call ${name}.`);
        throw new Refused(`The person did not allow ${name}`);
      }
      allow(session, name);
    }
    this.view.log(`The app called ${name}.`);
    return session.callTool(name, args);
  }

  async close(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = undefined;
    if (!bridge) return;
    if (this.initialized) await bridge.teardownResource({}, { timeout: 1000 }).catch(() => {});
    // Closes the transport too (the SDK's Protocol.close).
    await bridge.close().catch(() => {});
  }
}

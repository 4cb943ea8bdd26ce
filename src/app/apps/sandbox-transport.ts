/**
 * The host's end of the postMessage link to one sandbox proxy frame, for the ext-apps AppBridge.
 * Unlike the package's PostMessageTransport it also checks the sender's origin and names the
 * target origin: a message is taken only when it comes from this frame's window and from the
 * sandbox origin, and is sent to the sandbox origin only. Anything else that looks like JSON-RPC
 * (an app posting to Keyhole's window directly, a forged source) is reported, never delivered.
 */
import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';

/** Every live sandbox frame's window: messages from them are not strays. */
const frames = new Set<MessageEventSource>();

export class SandboxTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly listener = (event: MessageEvent) => this.receive(event);

  constructor(
    private readonly frame: Window,
    private readonly origin: string,
    /** A JSON-RPC-looking message that did not come from this app's sandbox. */
    private readonly onStray: (why: string) => void,
  ) {}

  async start(): Promise<void> {
    frames.add(this.frame);
    window.addEventListener('message', this.listener);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.frame.postMessage(message, this.origin);
  }

  async close(): Promise<void> {
    frames.delete(this.frame);
    window.removeEventListener('message', this.listener);
    this.onclose?.();
  }

  private receive(event: MessageEvent): void {
    const looksLikeRpc = typeof event.data === 'object' && event.data !== null && (event.data as { jsonrpc?: unknown }).jsonrpc === '2.0';
    if (event.source !== this.frame || event.origin !== this.origin) {
      if (looksLikeRpc && (!event.source || !frames.has(event.source))) {
        const method = (event.data as { method?: unknown }).method;
        this.onStray(`Ignored a message${typeof method === 'string' ? ` (${method})` : ''} from ${event.origin || 'an unknown origin'} that did not come through the app’s sandbox.`);
      }
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(event.data);
    } catch {
      this.onStray('Ignored a malformed message from the app.');
      return;
    }
    this.onmessage?.(message);
  }
}

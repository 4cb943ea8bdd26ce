/**
 * The Tasks extension's own messages on the SDK client's transport (SEP-2663, Streamable HTTP).
 *
 * The SDK client (2.4) decodes a `tools/call` result by `resultType` and refuses `"task"`, and it
 * has no way to send `tasks/get`, `tasks/update` or `tasks/cancel` on a 2026-07-28 connection; the
 * official ext-tasks package asks the host for a "raw dispatch" that owns request ids and response
 * matching. This module is that dispatch, on the same transport object: requests go through the
 * transport's `send` (so the transport sets `Mcp-Method` and `Mcp-Name` from the body, the worker
 * adds the credentials, and the protocol view records them), and their answers are taken out of
 * the transport's `onmessage` before the SDK client sees them (their ids are ours, not its).
 *
 * A task handle answering the SDK's own `tools/call` is handed over the same way: the SDK gets an
 * error that carries the handle (`taskHandoff`), and the session follows the task with ext-tasks.
 * The protocol view records the server's real answer, since it wraps `onmessage` outside this.
 *
 * Every connection to a 2026-07-28 server is wrapped, so this module is in the workbench's chunk:
 * it imports only types from ext-tasks, whose code comes with the task runner when a task exists
 * (task-support.ts). The error class ext-tasks wants for a failed send is handed in by the runner.
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { JsonRpcResponse, RawClientDispatch } from '@modelcontextprotocol/ext-tasks/client';
import type { CreateTaskResultV2 } from '@modelcontextprotocol/ext-tasks/core/v2';
import { tapIncoming } from '../transport-tap.ts';

/** The JSON-RPC error code of a handed-over task (the implementation-defined range, JSON-RPC 2.0 §5.1). */
export const TASK_HANDOFF_CODE = -32099;
const HANDOFF_KEY = 'keyhole.task';

export interface TaskWire {
  /**
   * The raw dispatch ext-tasks asks for. `sendFailed` makes the error of a request that could not
   * be sent (ext-tasks' `DispatchError`, so that its message reaches the person unchanged).
   */
  dispatchWith(sendFailed: (message: string, cause: unknown) => Error): RawClientDispatch;
  /** Ends every request still waiting (the connection closed). */
  close(): void;
}

type Message = { jsonrpc?: string; id?: string | number | null; method?: string; result?: unknown; error?: unknown };

/**
 * Wraps `transport` (after the protocol view's `WireLog.attach`, before the client connects).
 */
export function attachTaskWire(transport: Transport): TaskWire {
  let seq = 0;
  const pending = new Map<string, (message: Message) => void>();
  /** The SDK's own tools/call ids still unanswered: only those may be answered with a task. */
  const toolCalls = new Set<string | number>();

  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const m = message as Message;
    if (m.method === 'tools/call' && m.id !== undefined && m.id !== null && !String(m.id).startsWith('task:')) toolCalls.add(m.id);
    return send(message, options);
  };

  tapIncoming(transport, (next) => (message, extra) => {
    const m = message as Message;
    if (m.method === undefined && typeof m.id === 'string' && pending.has(m.id)) {
      const settle = pending.get(m.id)!;
      pending.delete(m.id);
      settle(m);
      return;
    }
    if (m.method === undefined && m.id !== undefined && m.id !== null && toolCalls.delete(m.id)) {
      const result = m.result as { resultType?: unknown } | undefined;
      if (result?.resultType === 'task') {
        next(
          {
            jsonrpc: '2.0',
            id: m.id,
            error: { code: TASK_HANDOFF_CODE, message: 'The server runs this call as a task.', data: { [HANDOFF_KEY]: result } },
          } as JSONRPCMessage,
          extra,
        );
        return;
      }
    }
    next(message, extra);
  });

  const dispatchWith = (sendFailed: (message: string, cause: unknown) => Error): RawClientDispatch => (request, options = {}) => {
    const id = `task:${++seq}`;
    const body = { ...(request as Record<string, unknown>), jsonrpc: '2.0', id } as JSONRPCMessage;
    // The transport sets Mcp-Name itself from params.taskId (and refuses it as a caller header).
    const headers = Object.fromEntries(Object.entries(options.context?.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'mcp-name'));
    const signal = options.signal;
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      const onAbort = () => {
        pending.delete(id);
        reject(signal?.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, (m) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(m.error !== undefined ? { kind: 'error', error: m.error as Extract<JsonRpcResponse, { kind: 'error' }>['error'] } : { kind: 'result', result: (m.result ?? {}) as never });
      });
      send(body, { headers, ...(signal ? { requestSignal: signal } : {}) }).catch((err: unknown) => {
        if (!pending.delete(id)) return;
        signal?.removeEventListener('abort', onAbort);
        reject(sendFailed((err as Error)?.message ?? 'The request failed.', err));
      });
    });
  };

  return {
    dispatchWith,
    close() {
      for (const [id, settle] of pending) settle({ id, error: { code: -32000, message: 'The connection closed.' } });
      pending.clear();
      toolCalls.clear();
    },
  };
}

/** The task handle carried by the error the SDK client raised for a handed-over `tools/call`, if any. */
export function taskHandoff(err: unknown): CreateTaskResultV2 | undefined {
  const e = err as { code?: unknown; data?: Record<string, unknown> } | undefined;
  if (e?.code !== TASK_HANDOFF_CODE || !e.data || typeof e.data !== 'object') return undefined;
  const task = e.data[HANDOFF_KEY] as CreateTaskResultV2 | undefined;
  return task && typeof task.taskId === 'string' ? task : undefined;
}

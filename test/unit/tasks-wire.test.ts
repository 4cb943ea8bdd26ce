/**
 * The Tasks extension between Keyhole's task wire (src/app/tasks/task-wire.ts) with the official
 * ext-tasks client, and the demo server's long-task (demo/mcp/tasks.mjs), in Node: the real demo
 * stack, a real token, the SDK client's own transport. A task handle answering the SDK's
 * tools/call is handed over; tasks/get carries Mcp-Name; the input request is answered with
 * tasks/update; tasks/cancel reaches the server.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient, DispatchError, type SerializedTaskReference, type TaskEnabledSession } from '@modelcontextprotocol/ext-tasks/client';
import { taskId } from '@modelcontextprotocol/ext-tasks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStackWithToken } from './demo-stack.ts';
import { attachTaskWire, taskHandoff, type TaskWire } from '../../src/app/tasks/task-wire.ts';

const EXT = 'io.modelcontextprotocol/tasks';
const CAPS = { elicitation: { form: {} }, extensions: { [EXT]: {} } };

const demo = demoStackWithToken();

describe('the Tasks extension over 2026-07-28', () => {
  let client: Client;
  let wire: TaskWire;
  let session: TaskEnabledSession;
  const asked: unknown[] = [];

  beforeAll(async () => {
    client = new Client({ name: 'tasks-test', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities: CAPS });
    const transport = new StreamableHTTPClientTransport(new URL(demo.stack.mcp.url), {
      requestInit: { headers: { Authorization: `Bearer ${demo.accessToken}` } },
    });
    wire = attachTaskWire(transport);
    await client.connect(transport);
    session = createTaskSessionFromClient(client, {
      endpointId: demo.stack.mcp.url,
      rawDispatch: wire.dispatchWith((message, cause) => new DispatchError(message, false, { cause })),
      v2RequestFraming: { protocolVersion: '2026-07-28', clientInfo: { name: 'tasks-test', version: '0' }, clientCapabilities: CAPS },
      tools: { currentTool: () => undefined },
      onInputRequest: (async (request: { kind: string }) => {
        asked.push(request);
        return { action: 'accept', content: { note: 'from the test' } };
      }) as never,
    });
  }, 15_000);

  afterAll(async () => {
    await session?.close();
    await client?.close();
  });

  const callAsTask = async (seconds: number) => {
    const err = await client.callTool({ name: 'long-task', arguments: { seconds } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const created = taskHandoff(err);
    expect(created, String(err)).toBeDefined();
    return created!;
  };
  const reference = (id: string) => ({ endpointId: demo.stack.mcp.url, generation: 'v2', taskId: taskId(id), originalOperation: 'tools/call' }) as SerializedTaskReference;

  it('declares the extension in server/discover', () => {
    expect(client.getServerCapabilities()?.extensions?.[EXT]).toEqual({});
  });

  it('hands a task over, polls it with Mcp-Name, answers its question, and gets the result', async () => {
    const created = await callAsTask(2);
    expect(created).toMatchObject({ resultType: 'task', status: 'working', pollIntervalMs: 200 });
    const execution = await session.resumeTask(reference(created.taskId));
    const { outcome } = await execution.settle();
    expect(outcome.status, JSON.stringify(outcome, (k, v) => (v instanceof Error ? { m: v.message, c: (v.cause as Error)?.message } : v))).toBe('completed');
    expect(JSON.stringify((outcome as { result: unknown }).result)).toContain('Your note: from the test');
    expect(asked).toHaveLength(1);
    const mine = demo.stack.mcp.taskRequests.filter((r) => r.taskId === created.taskId);
    expect(mine.every((r) => r.mcpName === created.taskId)).toBe(true);
    expect(mine.filter((r) => r.method === 'tasks/update')).toHaveLength(1);
    // Never faster than the server's pollIntervalMs: 2 s at 200 ms, plus the first look.
    expect(mine.filter((r) => r.method === 'tasks/get').length).toBeLessThanOrEqual(2000 / 200 + 1);
  }, 15_000);

  it('cancels a task with tasks/cancel', async () => {
    const created = await callAsTask(10);
    await session.cancelTask(taskId(created.taskId));
    expect(demo.stack.mcp.taskRequests.some((r) => r.method === 'tasks/cancel' && r.taskId === created.taskId)).toBe(true);
    const snapshot = await session.task(taskId(created.taskId)).snapshot();
    expect(snapshot.status).toBe('cancelled');
  });

  it('does not answer with a task when the call does not declare the extension', async () => {
    const plain = new Client({ name: 'plain', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await plain.connect(new StreamableHTTPClientTransport(new URL(demo.stack.mcp.url), { requestInit: { headers: { Authorization: `Bearer ${demo.accessToken}` } } }));
    const result = await plain.callTool({ name: 'long-task', arguments: {} });
    expect(result.isError).toBe(true);
    await plain.close();
  });
});

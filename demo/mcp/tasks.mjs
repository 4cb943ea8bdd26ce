// The Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) on the demo server's
// 2026-07-28 leg: the `long-task` tool answers with a task handle (`resultType: "task"`) when
// the request's capabilities declare the extension, and the task then runs on its own for
// `seconds` (default 20): ten status steps, and one form elicitation halfway, answered with
// `tasks/update`. `tasks/get`, `tasks/update` and `tasks/cancel` are answered here, in front
// of the SDK's stateless handler (which does not know them), and recorded for tests with the
// `Mcp-Name` header each carried (the extension's Streamable HTTP routing header).
//
// Tasks live in memory and belong to the principal (client and subject) that created them.

import { randomUUID } from 'node:crypto';
import { CLIENT_CAPABILITIES_META_KEY } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { json } from './http-responses.mjs';
import { errorResult } from './tool-results.mjs';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
export const TASK_TOOL = 'long-task';
const DEFAULT_SECONDS = 20;
const STEPS = 10;
const TTL_MS = 3_600_000;
/** Asked for halfway; keys are unique over a task's life (the extension's rule). */
const INPUT_KEY = 'continue';

/** JSON-RPC error codes the extension names. */
const INVALID_PARAMS = -32602;
const MISSING_CAPABILITY = -32021;
const HEADER_MISMATCH = -32020;

/**
 * @typedef {object} TaskRequestRecord
 * @property {'tasks/get' | 'tasks/update' | 'tasks/cancel'} method
 * @property {string | undefined} taskId `params.taskId` as sent
 * @property {string | null} mcpName the `Mcp-Name` header the request carried
 * @property {number} time arrival time, ms since the epoch
 * @property {unknown} [inputResponses] for tasks/update, as sent
 */

/**
 * @typedef {object} DemoTask
 * @property {string} taskId
 * @property {string} owner
 * @property {'working' | 'input_required' | 'completed' | 'failed' | 'cancelled'} status
 * @property {string} statusMessage
 * @property {string} createdAt
 * @property {string} lastUpdatedAt
 * @property {number} pollIntervalMs
 * @property {number} step
 * @property {boolean} asked the input request was issued
 * @property {{ action: string, content?: Record<string, unknown> } | undefined} answer
 * @property {Record<string, unknown> | undefined} result
 * @property {ReturnType<typeof setInterval> | undefined} timer
 */

/** Whether a request's `_meta` envelope declares the Tasks extension (SEP-2663, capability negotiation). */
function declaresTasks(/** @type {any} */ params) {
  const caps = params?._meta?.[CLIENT_CAPABILITIES_META_KEY];
  const ext = caps?.extensions?.[TASKS_EXTENSION];
  return ext !== null && typeof ext === 'object';
}

/** The tool as the SDK lists it; it only runs here when the client cannot take a task. */
export function registerTaskTools(/** @type {import('@modelcontextprotocol/server').McpServer} */ server) {
  server.registerTool(
    TASK_TOOL,
    {
      title: 'Long task',
      description:
        'Runs as a task (the Tasks extension, 2026-07-28) for `seconds` (default 20) with a status update every tenth, ' +
        'and asks one question halfway.',
      inputSchema: z.object({ seconds: z.number().int().min(1).max(120).optional().describe('How long the task runs') }),
    },
    // Reached only when the call did not declare the Tasks extension (or on 2025-11-25).
    async () => errorResult('long-task runs only as a task: call it on protocol 2026-07-28 with the io.modelcontextprotocol/tasks extension.'),
  );
}

export function createTasks() {
  /** @type {Map<string, DemoTask>} */
  const tasks = new Map();
  /** @type {TaskRequestRecord[]} */
  const taskRequests = [];

  const now = () => new Date().toISOString();

  /** @param {DemoTask} t */
  function touch(t) {
    t.lastUpdatedAt = now();
  }

  /** @param {DemoTask} t */
  function stop(t) {
    if (t.timer) clearInterval(t.timer);
    t.timer = undefined;
  }

  /** @param {DemoTask} t */
  function finish(t) {
    stop(t);
    const declined = t.answer && t.answer.action !== 'accept';
    const note = typeof t.answer?.content?.note === 'string' && t.answer.content.note ? ` Your note: ${t.answer.content.note}` : '';
    t.status = 'completed';
    t.statusMessage = declined ? `Stopped after step ${t.step} of ${STEPS}: you declined to continue.` : `Done: ${STEPS} of ${STEPS} steps.`;
    // The result of the original request, as 2026-07-28 shapes it (CallToolResult with its resultType).
    t.result = {
      resultType: 'complete',
      content: [{ type: 'text', text: declined ? `Task stopped at step ${t.step}: continuing was declined.` : `Task finished all ${STEPS} steps.${note}` }],
      isError: false,
    };
    touch(t);
  }

  /** One tenth of the work: the status moves on; halfway the task asks; at the end it completes. */
  function tick(/** @type {DemoTask} */ t) {
    if (t.status === 'completed' || t.status === 'cancelled') return stop(t);
    if (t.step < STEPS) t.step++;
    if (t.step === STEPS / 2 && !t.asked) {
      t.asked = true;
      t.status = 'input_required';
      t.statusMessage = `Step ${t.step} of ${STEPS}: waiting for your answer.`;
    } else if (t.status === 'input_required') {
      t.statusMessage = `Step ${t.step} of ${STEPS}: waiting for your answer.`;
    } else if (t.step >= STEPS) {
      return finish(t);
    } else {
      t.statusMessage = `Step ${t.step} of ${STEPS}`;
    }
    touch(t);
  }

  /** @param {DemoTask} t */
  function view(t) {
    const base = {
      taskId: t.taskId,
      status: t.status,
      statusMessage: t.statusMessage,
      createdAt: t.createdAt,
      lastUpdatedAt: t.lastUpdatedAt,
      ttlMs: TTL_MS,
      pollIntervalMs: t.pollIntervalMs,
    };
    if (t.status === 'input_required') {
      return {
        ...base,
        inputRequests: {
          [INPUT_KEY]: {
            method: 'elicitation/create',
            params: {
              mode: 'form',
              message: `The task is halfway (step ${STEPS / 2} of ${STEPS}). Continue?`,
              requestedSchema: {
                type: 'object',
                properties: { note: { type: 'string', title: 'A note for the result' } },
              },
            },
          },
        },
      };
    }
    if (t.status === 'completed') return { ...base, result: t.result };
    return base;
  }

  /** @param {unknown} id @param {unknown} result */
  const ok = (id, result) => json(200, { jsonrpc: '2.0', id, result });
  /** @param {unknown} id @param {number} code @param {string} message @param {number} [status] @param {unknown} [data] */
  const fail = (id, code, message, status = 200, data = undefined) =>
    json(status, { jsonrpc: '2.0', id, error: { code, message, ...(data !== undefined && { data }) } });

  /**
   * Answers a 2026-07-28 request that belongs to the extension, or returns undefined for
   * everything else (the SDK's handler takes it).
   *
   * @param {Request} request
   * @param {unknown} body the parsed JSON-RPC body
   * @param {import('@modelcontextprotocol/server').AuthInfo} authInfo
   * @returns {Response | undefined}
   */
  function answer(request, body, authInfo) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const { id, method, params } = /** @type {{ id?: unknown, method?: unknown, params?: any }} */ (body);
    const owner = JSON.stringify([authInfo.clientId, authInfo.extra?.sub ?? null]);

    if (method === 'tools/call' && params?.name === TASK_TOOL && declaresTasks(params)) {
      const seconds = Number.isInteger(params.arguments?.seconds) ? Math.min(120, Math.max(1, params.arguments.seconds)) : DEFAULT_SECONDS;
      const durationMs = seconds * 1000;
      /** @type {DemoTask} */
      const t = {
        taskId: randomUUID(),
        owner,
        status: 'working',
        statusMessage: `Started: ${STEPS} steps over ${seconds} s.`,
        createdAt: now(),
        lastUpdatedAt: now(),
        // The server's pace: a poll per step at most (clients SHOULD honour it, SEP-2663 "Task Polling").
        pollIntervalMs: Math.max(200, Math.min(2000, durationMs / STEPS)),
        step: 0,
        asked: false,
        answer: undefined,
        result: undefined,
        timer: undefined,
      };
      t.timer = setInterval(() => tick(t), durationMs / STEPS);
      tasks.set(t.taskId, t);
      // Created before answering: a tasks/get for it resolves at once (SEP-2663 "Task Creation").
      return ok(id, { resultType: 'task', ...view(t) });
    }

    if (method !== 'tasks/get' && method !== 'tasks/update' && method !== 'tasks/cancel') return undefined;
    const taskId = typeof params?.taskId === 'string' ? params.taskId : undefined;
    const mcpName = request.headers.get('mcp-name');
    taskRequests.push({
      method,
      taskId,
      mcpName,
      time: Date.now(),
      ...(method === 'tasks/update' && { inputResponses: params?.inputResponses }),
    });
    if (!declaresTasks(params)) {
      return fail(id, MISSING_CAPABILITY, 'Missing required client capability', 200, {
        requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
      });
    }
    // The Streamable HTTP binding: Mcp-Name carries params.taskId, for routing.
    if (mcpName !== taskId) return fail(id, HEADER_MISMATCH, `Mcp-Name must be the task id (${taskId}), not ${mcpName}`, 400);
    const t = taskId ? tasks.get(taskId) : undefined;
    if (!t || t.owner !== owner) return fail(id, INVALID_PARAMS, 'Failed to retrieve task: Task not found');

    if (method === 'tasks/get') return ok(id, { resultType: 'complete', ...view(t) });
    if (method === 'tasks/cancel') {
      if (t.status === 'working' || t.status === 'input_required') {
        stop(t);
        t.status = 'cancelled';
        t.statusMessage = `Cancelled at step ${t.step} of ${STEPS}.`;
        touch(t);
      }
      return ok(id, { resultType: 'complete' });
    }
    // tasks/update: responses to keys not outstanding are ignored (SEP-2663 "Task Update Requests").
    const response = params?.inputResponses?.[INPUT_KEY];
    if (t.status === 'input_required' && response && typeof response === 'object') {
      t.answer = { action: String(response.action), ...(response.content && { content: response.content }) };
      if (t.answer.action !== 'accept' || t.step >= STEPS) finish(t);
      else {
        t.status = 'working';
        t.statusMessage = `Step ${t.step} of ${STEPS}: answer received.`;
        touch(t);
      }
    }
    return ok(id, { resultType: 'complete' });
  }

  function close() {
    for (const t of tasks.values()) stop(t);
  }

  return { answer, taskRequests, close };
}

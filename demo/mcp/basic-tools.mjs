// The plain demo tools: echo, add, slow-count (progress notifications, cancellation) and
// admin-report (needs the admin scope; the HTTP front checks it first, see auth-gate.mjs).

import { requireScopes } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { debug } from './debug.mjs';
import { ADD_ICONS, ECHO_ICONS } from './icons.mjs';

/**
 * @param {import('@modelcontextprotocol/server').McpServer} server
 * @param {{ admin: string }} scopes
 */
export function registerBasicTools(server, scopes) {
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns the text it is given.',
      icons: ECHO_ICONS,
      inputSchema: z.object({ text: z.string().describe('Text to echo back') }),
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );

  server.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Adds two numbers.',
      icons: ADD_ICONS,
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
    },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
      structuredContent: { sum: a + b },
    }),
  );

  server.registerTool(
    'slow-count',
    {
      title: 'Slow count',
      description: 'Counts to `steps`, waiting `delayMs` per step and sending a progress notification per step.',
      inputSchema: z.object({
        steps: z.number().int().min(1).max(1000).default(5),
        delayMs: z.number().int().min(0).max(600_000).default(200),
      }),
    },
    async ({ steps, delayMs }, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const signal = ctx.mcpReq.signal;
      for (let step = 1; step <= steps; step++) {
        try {
          await sleep(delayMs, signal);
        } catch (error) {
          debug(`slow-count cancelled before step ${step}`);
          throw error;
        }
        if (progressToken !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress: step, total: steps, message: `step ${step} of ${steps}` },
          });
        }
      }
      return { content: [{ type: 'text', text: `Counted to ${steps}` }] };
    },
  );

  server.registerTool(
    'admin-report',
    {
      title: 'Admin report',
      description: `Returns a small report. Requires the ${scopes.admin} scope.`,
      // The HTTP layer answers 403 before the SDK sees the request; this is a second line.
      scopeChallenge: requireScopes(scopes.admin),
    },
    async (ctx) => {
      const auth = ctx.http?.authInfo;
      if (!auth?.scopes.includes(scopes.admin)) {
        return { isError: true, content: [{ type: 'text', text: `Missing scope ${scopes.admin}` }] };
      }
      const report = {
        generatedAt: new Date().toISOString(),
        clientId: auth.clientId,
        subject: typeof auth.extra?.sub === 'string' ? auth.extra.sub : undefined,
        scopes: auth.scopes,
      };
      return {
        content: [{ type: 'text', text: `Admin report: ${JSON.stringify(report)}` }],
        structuredContent: report,
      };
    },
  );
}

/**
 * @param {number} ms
 * @param {AbortSignal} [signal]
 * @returns {Promise<void>}
 */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

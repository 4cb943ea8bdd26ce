// Tools for the 2026-07-28 features a client has to get right:
//   - plan-trip (form elicitation) and draft-reply (sampling) ask the person through a
//     multi-round-trip request (SEP-2322) that carries a `requestState` the client must echo
//     byte for byte; the state is sealed with the SDK's HMAC codec and checked on the retry. On
//     2025-11-25 the SDK's legacy shim sends the same questions as server-to-client requests.
//   - route-request has parameters annotated `x-mcp-header` (SEP-2243): the client mirrors them
//     into `Mcp-Param-*` headers, which the SDK's 2026-07-28 handler checks against the body.
//   - broken-header, listed only when KEYHOLE_DEMO_INVALID_HEADER_TOOL=1, carries an invalid
//     annotation (on a number parameter): a client must leave it out and keep the others.
// What reached the server (the echoed state, the headers) is in the call records (call-records.mjs).

import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, fromJsonSchema, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { errorResult, textResult } from './tool-results.mjs';

/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */

/** The switch for the tool with an invalid `x-mcp-header` annotation (read at each listing). */
export const INVALID_HEADER_TOOL_ENV = 'KEYHOLE_DEMO_INVALID_HEADER_TOOL';

// One key per process: every instance this process builds (one per 2026-07-28 request) checks
// the state another minted.
const codec = createRequestStateCodec({ key: randomBytes(32), ttlSeconds: 600 });

/**
 * The payload of the echoed state, or undefined when there is none yet; throws if it was changed.
 * @param {any} ctx
 * @param {string} tool
 */
async function stateOf(ctx, tool) {
  const raw = ctx.mcpReq.requestState();
  if (raw === undefined) return undefined;
  const payload = /** @type {any} */ (await codec.verify(String(raw), ctx));
  if (payload?.tool !== tool) throw new Error('requestState minted for another tool');
  return payload;
}

/** @param {McpServer} server */
export function registerMrtrTools(server) {
  server.registerTool(
    'plan-trip',
    {
      title: 'Plan trip',
      description: 'Asks where to go (form elicitation) in a multi-round-trip request that carries requestState.',
      inputSchema: z.object({ traveller: z.string().describe('Who travels').default('Ada') }),
    },
    async ({ traveller }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'destination');
      if (answer.kind !== 'elicit') {
        return inputRequired({
          inputRequests: {
            destination: inputRequired.elicit({
              message: `Where should ${traveller} go?`,
              requestedSchema: {
                type: 'object',
                properties: { city: { type: 'string', title: 'City' }, nights: { type: 'integer', minimum: 1, default: 2 } },
                required: ['city'],
              },
            }),
          },
          requestState: await codec.mint({ tool: 'plan-trip', traveller }),
        });
      }
      const state = await stateOf(ctx, 'plan-trip').catch((/** @type {Error} */ e) => e);
      if (state instanceof Error) return errorResult(`The requestState came back changed: ${state.message}`);
      if (answer.action !== 'accept') return textResult(`Trip for ${traveller}: ${answer.action === 'decline' ? 'declined' : 'cancelled'}`);
      const { city, nights } = /** @type {{ city?: string, nights?: number }} */ (answer.content ?? {});
      return textResult(`Trip for ${state?.traveller ?? traveller}: ${nights ?? 2} nights in ${city}`);
    },
  );

  server.registerTool(
    'draft-reply',
    {
      title: 'Draft reply',
      description: "Asks the client's model to draft a reply (sampling) in a multi-round-trip request that carries requestState.",
      inputSchema: z.object({ message: z.string().describe('The message to answer') }),
    },
    async ({ message }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'draft');
      if (answer.kind !== 'sampling') {
        return inputRequired({
          inputRequests: {
            draft: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: `Draft a short reply to: ${message}` } }],
              maxTokens: 200,
            }),
          },
          requestState: await codec.mint({ tool: 'draft-reply' }),
        });
      }
      const state = await stateOf(ctx, 'draft-reply').catch((/** @type {Error} */ e) => e);
      if (state instanceof Error) return errorResult(`The requestState came back changed: ${state.message}`);
      const blocks = Array.isArray(answer.result.content) ? answer.result.content : [answer.result.content];
      return textResult(`Draft: ${blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('')}`);
    },
  );

  server.registerTool(
    'route-request',
    {
      title: 'Route request',
      description: 'Its region, priority and label travel as Mcp-Param-* headers too (x-mcp-header, SEP-2243).',
      inputSchema: fromJsonSchema({
        type: 'object',
        properties: {
          region: { type: 'string', description: 'Where to route', 'x-mcp-header': 'Region' },
          priority: { type: 'integer', description: 'Higher goes first', 'x-mcp-header': 'Priority' },
          label: { type: 'string', description: 'Any text; non-ASCII travels in Base64', 'x-mcp-header': 'Label' },
          body: { type: 'string', description: 'Not a header' },
        },
        required: ['region'],
      }),
    },
    async (args) => {
      const { region, priority, label } = /** @type {{ region: string, priority?: number, label?: string }} */ (args);
      return textResult(`Routed to ${region}${priority === undefined ? '' : ` at priority ${priority}`}${label === undefined ? '' : ` (${label})`}`);
    },
  );

  if (process.env[INVALID_HEADER_TOOL_ENV] === '1') {
    server.registerTool(
      'broken-header',
      {
        title: 'Broken header',
        description: 'Its x-mcp-header sits on a number parameter, which SEP-2243 does not allow: clients leave it out.',
        inputSchema: fromJsonSchema({
          type: 'object',
          properties: { score: { type: 'number', 'x-mcp-header': 'Score' } },
        }),
      },
      async () => textResult('A client called a tool it should have left out.'),
    );
  }
}

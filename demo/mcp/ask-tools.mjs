// Tools that ask the client for input: ask-name and open-link (form / URL elicitation),
// ask-model (sampling), list-roots (roots).
//
// Written once as multi-round-trip handlers: on 2026-07-28 the client fulfils the input
// requests and retries the call; on 2025-11-25 the SDK's legacy shim sends them as
// server-to-client requests on the session and re-enters the handler with the answers.
// A client that did not declare the capability needed gets a tool error (isError).

import { CLIENT_CAPABILITIES_META_KEY, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { errorResult, textResult } from './tool-results.mjs';

/** @typedef {import('@modelcontextprotocol/server').McpServer} McpServer */

const CONSENT_URL = 'https://example.com/keyhole-demo-consent';

/** Client capabilities each kind of input request needs, as the SDK's gate reads them. */
const INPUT_CAPABILITIES = {
  form: { label: 'elicitation (form mode)', has: (/** @type {any} */ c) => c?.elicitation && (c.elicitation.form || !c.elicitation.url) },
  url: { label: 'elicitation (URL mode)', has: (/** @type {any} */ c) => c?.elicitation?.url },
  sampling: { label: 'sampling', has: (/** @type {any} */ c) => c?.sampling },
  roots: { label: 'roots', has: (/** @type {any} */ c) => c?.roots },
};

/**
 * A tool error if the client cannot be asked for this kind of input, else undefined. Checked
 * before returning `inputRequired(...)`: the SDK would refuse such a request anyway, but on
 * 2026-07-28 as a JSON-RPC error (-32021), and a tool result says it more plainly to a person.
 * Capabilities come from the request's `_meta` envelope (2026-07-28) or from initialize (2025-11-25).
 *
 * @param {McpServer} server
 * @param {{ mcpReq: { envelope?: object } }} ctx
 * @param {keyof typeof INPUT_CAPABILITIES} kind
 * @param {string} tool
 */
function lacksCapability(server, ctx, kind, tool) {
  const envelope = /** @type {Record<string, unknown> | undefined} */ (ctx.mcpReq.envelope);
  const declared = envelope && CLIENT_CAPABILITIES_META_KEY in envelope
    ? envelope[CLIENT_CAPABILITIES_META_KEY]
    : server.server.getClientCapabilities();
  const { label, has } = INPUT_CAPABILITIES[kind];
  if (has(declared)) return undefined;
  return errorResult(`${tool} needs the client capability ${label}, which this client did not declare.`);
}

/** @param {McpServer} server */
export function registerAskTools(server) {
  server.registerTool(
    'ask-name',
    { title: 'Ask name', description: 'Asks the user for their name and a few preferences (form elicitation).' },
    async (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'profile');
      if (answer.kind !== 'elicit') {
        const refused = lacksCapability(server, ctx, 'form', 'ask-name');
        if (refused) return refused;
        return inputRequired({
          inputRequests: {
            profile: inputRequired.elicit({
              message: 'Tell the demo server who you are',
              requestedSchema: {
                type: 'object',
                properties: {
                  name: { type: 'string', title: 'Name' },
                  mood: { type: 'string', enum: ['happy', 'calm', 'busy'], default: 'calm' },
                  subscribe: { type: 'boolean', default: false },
                  age: { type: 'integer', minimum: 0, maximum: 150 },
                },
                required: ['name'],
              },
            }),
          },
        });
      }
      if (answer.action === 'accept') return textResult(`Accepted: ${JSON.stringify(answer.content ?? {})}`);
      return textResult(answer.action === 'decline' ? 'Declined' : 'Cancelled');
    },
  );

  server.registerTool(
    'open-link',
    { title: 'Open link', description: 'Asks the user to visit a page (URL elicitation).' },
    async (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'consent');
      if (answer.kind !== 'elicit') {
        const refused = lacksCapability(server, ctx, 'url', 'open-link');
        if (refused) return refused;
        return inputRequired({
          inputRequests: {
            consent: inputRequired.elicitUrl({ message: 'Please confirm on the example page', url: CONSENT_URL }),
          },
        });
      }
      return textResult(`URL elicitation: ${answer.action}`);
    },
  );

  server.registerTool(
    'ask-model',
    {
      title: 'Ask model',
      description: "Asks the client's model a question (sampling).",
      inputSchema: z.object({ question: z.string().describe('What to ask the model') }),
    },
    async ({ question }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'answer');
      if (answer.kind !== 'sampling') {
        const refused = lacksCapability(server, ctx, 'sampling', 'ask-model');
        if (refused) return refused;
        return inputRequired({
          inputRequests: {
            answer: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: question } }],
              maxTokens: 100,
            }),
          },
        });
      }
      const blocks = Array.isArray(answer.result.content) ? answer.result.content : [answer.result.content];
      const text = blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('');
      return textResult(`The model said: ${text}`);
    },
  );

  server.registerTool(
    'list-roots',
    { title: 'List roots', description: "Lists the client's roots." },
    async (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'roots');
      if (answer.kind !== 'roots') {
        return lacksCapability(server, ctx, 'roots', 'list-roots') ??
          inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });
      }
      if (answer.roots.length === 0) return textResult('Roots: none');
      // One root a line: "uri (name)", or just the uri when it has no name.
      return textResult(`Roots:\n${answer.roots.map((r) => (r.name ? `${r.uri} (${r.name})` : r.uri)).join('\n')}`);
    },
  );
}

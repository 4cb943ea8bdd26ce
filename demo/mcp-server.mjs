// Demo MCP server for Keyhole: a real MCP server built on the official
// TypeScript SDK v2 packages, acting as an OAuth 2.0 protected resource.
//
// One endpoint (`/mcp`) serves both protocol revisions:
//   - 2026-07-28 (stateless, per-request `_meta` envelope, `server/discover`,
//     `subscriptions/listen` change streams) through the SDK's
//     `createMcpHandler(factory, { legacy: 'reject' })`;
//   - 2025-11-25 (initialize handshake, `Mcp-Session-Id` sessions, GET stream,
//     DELETE) through one sessionful `WebStandardStreamableHTTPServerTransport`
//     per session.
// Requests are routed with the SDK's own `isLegacyRequest` predicate, and both
// legs build their `McpServer` from the same factory (same tools, resources,
// templates and prompts).
//
// What the demo offers (see `buildMcpServer`):
//   - tools: echo, add, slow-count (progress), admin-report (mcp:admin scope),
//     order-form (rich input schema + structured output), sample-content (one
//     block of each content type), failing-tool (isError), ask-name and
//     open-link (form / URL elicitation), ask-model (sampling), list-roots
//     (roots), log-burst (logging), bump-counter (resource updates),
//     toggle-extra-tool (tools list changed; registers or removes `extra`);
//   - resources: demo://readme, demo://logo.png (binary), demo://counter
//     (subscribable); templates demo://greeting/{name}, demo://square/{n},
//     demo://swatch/{rgb} (binary);
//   - prompts: greet, summarize, translate.
// Client input (elicitation, sampling, roots) is asked for with the SDK's
// multi-round-trip `inputRequired(...)` returns: on 2026-07-28 the client
// fulfils them and retries; on 2025-11-25 the SDK's legacy shim turns them
// into real server-to-client requests on the session. A client that did not
// declare the capability needed gets a tool error (isError). Change notifications
// go to 2025-11-25 sessions (GET stream) and to open 2026-07-28
// `subscriptions/listen` streams (the handler's event bus). Optional
// pagination (`pageSize`) applies to every list method.
//
// In front of the MCP handlers sit, in order: Host/Origin validation, CORS,
// access-token validation by RFC 7662 introspection at the authorization
// server (Bearer, RFC 6750, and DPoP, RFC 9449: proof checked with `jose`,
// key bound through the introspected `cnf.jkt`, optional server nonces), and
// an HTTP-layer scope check for the `admin-report` tool.

import http from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import * as jose from 'jose';
import {
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
  McpServer,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  ResourceTemplate,
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  inputRequired,
  inputResponse,
  isInitializeRequest,
  isLegacyRequest,
  requireScopes,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const DEBUG = process.env.KEYHOLE_DEMO_DEBUG === '1';
/** @param {...unknown} args */
function debug(...args) {
  if (DEBUG) console.error('[keyhole-demo-mcp]', ...args);
}

/** How long an introspection answer may be reused (ms). Kept short so revocation shows quickly. */
const INTROSPECTION_CACHE_MS = 1000;

/** Request headers a browser may send to /mcp (lower case); any `mcp-*` header is allowed too. */
const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'DPoP',
  'Content-Type',
  'Accept',
  'Last-Event-ID',
  'MCP-Protocol-Version',
  'Mcp-Session-Id',
  'Mcp-Method',
  'Mcp-Name',
];
const ALLOWED_REQUEST_HEADER_SET = new Set(ALLOWED_REQUEST_HEADERS.map((h) => h.toLowerCase()));
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, DPoP-Nonce, MCP-Protocol-Version';
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
const ALLOWED_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Asymmetric JWS algorithms accepted for DPoP proofs (advertised in `algs` and in the PRM document). */
const DPOP_ALGS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];
/** Accepted distance between a proof's `iat` and now, both ways (RFC 9449 §11.1; MCP SEP-1932: ±5 min). */
const DPOP_IAT_WINDOW_S = 300;
/** Server nonces rotate this often; the current and the previous one are accepted (RFC 9449 §9). */
const DPOP_NONCE_ROTATE_MS = 60_000;
/** Most proof `jti`s remembered at once; when full (of unexpired entries) proofs are refused, not forgotten. */
const DPOP_REPLAY_CACHE_MAX = 10_000;
/** JWK members that only private (or symmetric) keys have. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * @typedef {object} RequestRecord
 * @property {string} method HTTP method
 * @property {string} path URL path (no query)
 * @property {number} status HTTP status of the response (0 until answered)
 * @property {number} time arrival time, ms since the epoch
 * @property {string} [mcpMethod] JSON-RPC method(s) of a POST body (comma-joined for a batch)
 * @property {boolean} [credentialed] whether an MCP request carried an Authorization header
 */

/**
 * @typedef {object} Introspection
 * @property {boolean} ok whether the token is acceptable for this resource
 * @property {string} [reason] why not (debug only)
 * @property {string[]} [scopes]
 * @property {string} [jkt] RFC 7638 thumbprint of the key the token is bound to (`cnf.jkt`), if DPoP-bound
 * @property {import('@modelcontextprotocol/server').AuthInfo} [authInfo]
 */

/**
 * @typedef {object} VerifiedProof
 * @property {string} jti
 * @property {number} iat
 * @property {string} thumbprint RFC 7638 SHA-256 thumbprint of the proof's `jwk`
 * @property {unknown} nonce the proof's `nonce` claim, if any
 */

/** A DPoP proof that fails its own checks (RFC 9449 §4.3): answered with `invalid_dpop_proof`. */
class InvalidProof extends Error {}

/**
 * @typedef {object} McpServerHandle
 * @property {string} url `http://localhost:PORT/mcp`, also the RFC 8707 resource identifier
 * @property {number} port
 * @property {() => Promise<void>} close
 * @property {string[]} authorizations every Authorization header value received on /mcp, in order
 * @property {RequestRecord[]} requests every request received, in order
 */

// ---- Media for the demo (generated, so the repository holds no binaries) ----

/** CRC-32 (ISO-HDLC, as PNG uses) lookup table. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Buffer} bytes */
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = /** @type {number} */ (CRC_TABLE[(c ^ b) & 0xff]) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A PNG of one solid colour (8-bit RGB, no interlace).
 * @param {number} size width and height in pixels
 * @param {[number, number, number]} rgb
 */
function solidPng(size, [r, g, b]) {
  /** @param {string} type @param {Buffer} data */
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + size * 3); // filter byte 0 ("None"), then the pixels
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A mono 8-bit PCM WAV file holding a sine tone.
 * @param {number} seconds
 * @param {number} hz
 */
function toneWav(seconds, hz) {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate, 28); // byte rate
  wav.writeUInt16LE(1, 32); // block align
  wav.writeUInt16LE(8, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) wav[44 + i] = Math.round(128 + 100 * Math.sin((2 * Math.PI * hz * i) / rate));
  return wav;
}

/** 16x16 Keyhole-blue square. */
const LOGO_PNG_BASE64 = solidPng(16, [37, 99, 235]).toString('base64');
/** 0.2 s of A4. */
const TONE_WAV_BASE64 = toneWav(0.2, 440).toString('base64');

// ---- The MCP server instance ------------------------------------------------

/** Log levels `log-burst` sends, in order. */
const LOG_BURST_LEVELS = /** @type {const} */ (['debug', 'info', 'notice', 'warning', 'error']);
const COUNTER_URI = 'demo://counter';
const CONSENT_URL = 'https://example.com/keyhole-demo-consent';
const ORDER_PRICES = { small: 5, medium: 8, large: 12 };
const GIFT_WRAP_PRICE = 3;
const EXTRA_ITEM_PRICE = 2;

/**
 * Process state shared by every instance one `startMcpServer` builds (both revisions).
 * @typedef {object} DemoState
 * @property {() => number} counter current value of demo://counter
 * @property {() => number} bumpCounter increments the counter, notifies subscribers, returns the new value
 * @property {() => boolean} extraEnabled whether the `extra` tool is registered
 * @property {() => boolean} toggleExtra registers or removes `extra` everywhere, notifies, returns the new state
 * @property {number} [pageSize] items per page of the list methods (undefined: no pagination)
 */

/** Per-instance `extra` tool registrations (legacy sessions keep theirs across toggles). */
/** @type {WeakMap<McpServer, import('@modelcontextprotocol/server').RegisteredTool>} */
const extraTools = new WeakMap();

/** Per-instance `resources/subscribe` URIs (2025-11-25 sessions). */
/** @type {WeakMap<McpServer, Set<string>>} */
const resourceSubscriptions = new WeakMap();

/**
 * Registers or removes the `extra` tool on one instance (the SDK then sends
 * `notifications/tools/list_changed` on its session when connected).
 * @param {McpServer} server
 * @param {boolean} enabled
 */
function setExtraTool(server, enabled) {
  const registered = extraTools.get(server);
  if (enabled && !registered) {
    extraTools.set(
      server,
      server.registerTool(
        'extra',
        { title: 'Extra', description: 'Appears and disappears with toggle-extra-tool.' },
        async () => ({ content: [{ type: 'text', text: 'extra' }] }),
      ),
    );
  } else if (!enabled && registered) {
    registered.remove();
    extraTools.delete(server);
  }
}

/**
 * URIs a 2025-11-25 session subscribed to.
 * @param {McpServer} server
 */
function subscribedResources(server) {
  return resourceSubscriptions.get(server) ?? new Set();
}

/** @param {string} text */
function textResult(text) {
  return { content: [{ type: /** @type {const} */ ('text'), text }] };
}

/** @param {string} text */
function errorResult(text) {
  return { isError: true, content: [{ type: /** @type {const} */ ('text'), text }] };
}

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

/**
 * Builds one MCP server instance with the demo's tools, resources and prompts.
 * Used for every modern request and for every legacy session.
 *
 * @param {{ admin: string }} scopes
 * @param {DemoState} demo
 * @returns {McpServer}
 */
function buildMcpServer(scopes, demo) {
  const server = new McpServer(
    { name: 'keyhole-demo-mcp', version: '0.1.0' },
    {
      instructions:
        'Keyhole demo server. Tools: echo, add, slow-count, admin-report, order-form, sample-content, failing-tool, ' +
        'ask-name, open-link, ask-model, list-roots, log-burst, bump-counter, toggle-extra-tool (and extra when toggled on). ' +
        'Resources: demo://readme, demo://logo.png, demo://counter (subscribable); templates demo://greeting/{name}, ' +
        'demo://square/{n}, demo://swatch/{rgb}. Prompts: greet, summarize, translate. ' +
        'To see resource updates, follow demo://counter (resources/subscribe on 2025-11-25, subscriptions/listen on ' +
        '2026-07-28), then call bump-counter.',
      capabilities: {
        logging: {},
        resources: { subscribe: true, listChanged: true },
        tools: { listChanged: true },
        prompts: { listChanged: true },
      },
    },
  );

  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns the text it is given.',
      inputSchema: z.object({ text: z.string().describe('Text to echo back') }),
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );

  server.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Adds two numbers.',
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

  // ---- Forms, content types, errors ------------------------------------------

  server.registerTool(
    'order-form',
    {
      title: 'Order form',
      description: 'Places a (pretend) order. Its input schema exercises generated forms.',
      inputSchema: z.object({
        customer: z.string().min(1).describe('Who the order is for'),
        email: z.email().describe('Where the confirmation goes'),
        quantity: z.number().int().min(1).max(10).default(1).describe('How many'),
        size: z.enum(['small', 'medium', 'large']).default('medium').describe('Size'),
        gift: z.boolean().default(false).describe('Gift-wrap it'),
        deliverOn: z.iso.date().optional().describe('Delivery date'),
        address: z
          .object({ street: z.string().describe('Street'), city: z.string().describe('City') })
          .optional()
          .describe('Postal address'),
        tags: z.array(z.string()).optional().describe('Free-form tags'),
        extras: z
          .array(
            z.object({
              item: z.string().min(1).describe('What to add'),
              count: z.number().int().min(1).max(5).default(1).describe('How many'),
            }),
          )
          .optional()
          .describe('Extra items'),
        delivery: z
          .discriminatedUnion('method', [
            z.object({ method: z.literal('pickup'), store: z.string().describe('Store to pick up from') }),
            z.object({ method: z.literal('shipping'), address: z.string().describe('Shipping address') }),
          ])
          .optional()
          .describe('Pickup or shipping'),
      }),
      outputSchema: z.object({
        customer: z.string(),
        email: z.string(),
        quantity: z.number().int(),
        size: z.enum(['small', 'medium', 'large']),
        gift: z.boolean(),
        extraItems: z.number().int(),
        delivery: z.enum(['pickup', 'shipping', 'unspecified']),
        total: z.number(),
      }),
    },
    async ({ customer, email, quantity, size, gift, deliverOn, address, tags, extras, delivery }) => {
      const extraItems = (extras ?? []).reduce((sum, e) => sum + e.count, 0);
      const total = quantity * ORDER_PRICES[size] + (gift ? GIFT_WRAP_PRICE : 0) + extraItems * EXTRA_ITEM_PRICE;
      const details = [
        gift && 'gift-wrapped',
        extraItems > 0 && `${extraItems} extra item(s): ${(extras ?? []).map((e) => `${e.count} x ${e.item}`).join(', ')}`,
        delivery?.method === 'pickup' && `pickup at ${delivery.store}`,
        delivery?.method === 'shipping' && `shipping to ${delivery.address}`,
        deliverOn && `on ${deliverOn}`,
        address && `billing address ${address.street}, ${address.city}`,
        tags?.length && `tags ${tags.join(', ')}`,
      ].filter(Boolean);
      return {
        content: [
          {
            type: 'text',
            // "Order for NAME: N x SIZE" first: tests look for it.
            text: `Order for ${customer}: ${quantity} x ${size}${details.length ? `, ${details.join('; ')}` : ''}. ` +
              `Total ${total}; confirmation to ${email}.`,
          },
        ],
        structuredContent: {
          customer,
          email,
          quantity,
          size,
          gift,
          extraItems,
          delivery: delivery?.method ?? 'unspecified',
          total,
        },
      };
    },
  );

  server.registerTool(
    'sample-content',
    {
      title: 'Sample content',
      description: 'Returns one content block of each type: text, image, audio, embedded resource, resource link.',
    },
    async () => ({
      content: [
        { type: 'text', text: 'Here is one of each content type.' },
        { type: 'image', data: LOGO_PNG_BASE64, mimeType: 'image/png' },
        { type: 'audio', data: TONE_WAV_BASE64, mimeType: 'audio/wav' },
        {
          type: 'resource',
          resource: { uri: 'demo://embedded', mimeType: 'text/plain', text: 'Embedded text resource' },
        },
        {
          type: 'resource_link',
          uri: 'demo://readme',
          name: 'readme',
          title: 'Demo README',
          mimeType: 'text/markdown',
        },
      ],
    }),
  );

  server.registerTool(
    'failing-tool',
    { title: 'Failing tool', description: 'Always fails (a tool error, isError: true).' },
    async () => ({ isError: true, content: [{ type: 'text', text: 'The demo tool failed on purpose.' }] }),
  );

  // ---- Client input: elicitation, sampling, roots -----------------------------
  // Written once as multi-round-trip handlers: on 2026-07-28 the client fulfils
  // the input requests and retries the call; on 2025-11-25 the SDK's legacy
  // shim sends them as server-to-client requests on the session and re-enters
  // the handler with the answers.

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

  // ---- Logging, resource updates, list changes --------------------------------

  server.registerTool(
    'log-burst',
    {
      title: 'Log burst',
      description:
        'Sends one log message per level (debug to error), filtered by the level the client set ' +
        '(logging/setLevel on 2025-11-25; the request _meta log level on 2026-07-28).',
    },
    async (ctx) => {
      // On 2026-07-28 the SDK sends log messages only for requests whose _meta names a level.
      const envelope = /** @type {Record<string, unknown> | undefined} */ (ctx.mcpReq.envelope);
      if (envelope && PROTOCOL_VERSION_META_KEY in envelope && !(LOG_LEVEL_META_KEY in envelope)) {
        return textResult(`Sent no log messages: this request's _meta has no ${LOG_LEVEL_META_KEY}`);
      }
      for (const level of LOG_BURST_LEVELS) await ctx.mcpReq.log(level, `log at ${level}`, 'demo');
      return textResult(`Logged ${LOG_BURST_LEVELS.length} messages (those below the client's level are filtered out)`);
    },
  );

  server.registerTool(
    'bump-counter',
    { title: 'Bump counter', description: `Increments ${COUNTER_URI} and notifies its subscribers.` },
    async () => textResult(`Counter is now ${demo.bumpCounter()}`),
  );

  server.registerTool(
    'toggle-extra-tool',
    { title: 'Toggle extra tool', description: 'Registers or removes the tool `extra` (tools list changed).' },
    async () => textResult(demo.toggleExtra() ? 'Tool extra registered' : 'Tool extra removed'),
  );

  if (demo.extraEnabled()) setExtraTool(server, true);

  server.registerResource(
    'readme',
    'demo://readme',
    { title: 'Demo README', description: 'About this demo server', mimeType: 'text/markdown' },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/markdown',
          text: '# Keyhole demo MCP server\n\nTools: `echo`, `add`, `slow-count`, `admin-report` (needs `mcp:admin`).\n',
        },
      ],
    }),
  );

  server.registerResource(
    'greeting',
    new ResourceTemplate('demo://greeting/{name}', { list: undefined }),
    { title: 'Greeting', description: 'A greeting for anyone', mimeType: 'text/plain' },
    async (uri, { name }) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Hello, ${decodeURIComponent(String(name))}!` }],
    }),
  );

  // Two more templates, so that a page size of 2 splits resources/templates/list too.
  server.registerResource(
    'square',
    new ResourceTemplate('demo://square/{n}', { list: undefined }),
    { title: 'Square', description: 'The square of an integer', mimeType: 'text/plain' },
    async (uri, { n }) => {
      const value = Number(n);
      if (!Number.isSafeInteger(value)) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `demo://square/{n} needs an integer, not ${JSON.stringify(n)}`);
      }
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: `${value} squared is ${value * value}` }] };
    },
  );

  server.registerResource(
    'swatch',
    new ResourceTemplate('demo://swatch/{rgb}', { list: undefined }),
    { title: 'Colour swatch', description: 'An 8x8 PNG of one colour, e.g. demo://swatch/2563eb (binary)', mimeType: 'image/png' },
    async (uri, { rgb }) => {
      const hex = String(rgb);
      if (!/^[0-9a-f]{6}$/i.test(hex)) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `demo://swatch/{rgb} needs six hex digits, not ${JSON.stringify(rgb)}`);
      }
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const png = solidPng(8, [/** @type {number} */ (r), /** @type {number} */ (g), /** @type {number} */ (b)]);
      return { contents: [{ uri: uri.href, mimeType: 'image/png', blob: png.toString('base64') }] };
    },
  );

  server.registerResource(
    'logo',
    'demo://logo.png',
    { title: 'Logo', description: 'A 16x16 PNG (binary resource)', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: LOGO_PNG_BASE64 }] }),
  );

  server.registerResource(
    'counter',
    COUNTER_URI,
    { title: 'Counter', description: 'A number bump-counter increments (subscribable)', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: String(demo.counter()) }] }),
  );

  // resources/subscribe (2025-11-25; 2026-07-28 clients use subscriptions/listen instead).
  const subscriptions = new Set();
  resourceSubscriptions.set(server, subscriptions);
  server.server.setRequestHandler('resources/subscribe', async (request) => {
    subscriptions.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });

  server.registerPrompt(
    'greet',
    {
      title: 'Greet',
      description: 'Asks the model to greet someone by name.',
      argsSchema: z.object({ name: z.string().describe('Who to greet') }),
    },
    ({ name }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Please greet ${name} warmly.` } }],
    }),
  );

  server.registerPrompt(
    'summarize',
    {
      title: 'Summarize',
      description: 'Asks the model to summarize a text.',
      argsSchema: z.object({
        text: z.string().describe('Text to summarize'),
        style: z.string().optional().describe('How, e.g. "one sentence" or "bullet points"'),
      }),
    },
    ({ text, style }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Please summarize the following text${style ? ` (${style})` : ''}:\n\n${text}` },
        },
      ],
    }),
  );

  server.registerPrompt(
    'translate',
    {
      title: 'Translate',
      description: 'Asks the model to translate a text.',
      argsSchema: z.object({
        text: z.string().describe('Text to translate'),
        language: z.string().optional().describe('Target language (default: English)'),
      }),
    },
    ({ text, language }) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: `Translate into ${language || 'English'}:\n\n${text}` } },
      ],
    }),
  );

  if (demo.pageSize !== undefined) paginate(server, demo.pageSize);

  return server;
}

/** List methods `paginate` pages, with the result member holding the items. */
const PAGINATED_LISTS = /** @type {const} */ ({
  'tools/list': 'tools',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
});

/**
 * Makes the list methods return at most `pageSize` items plus an opaque
 * `nextCursor`. Wraps the handlers McpServer installed (so listings stay
 * exactly what the SDK builds); a cursor that does not decode, or was minted
 * for another method, is refused with Invalid Params.
 *
 * @param {McpServer} server
 * @param {number} pageSize
 */
function paginate(server, pageSize) {
  // The SDK keeps installed handlers in a private map; there is no public getter.
  const handlers = /** @type {Map<string, (request: unknown, ctx: unknown) => Promise<Record<string, unknown>>>} */ (
    /** @type {any} */ (server.server)._requestHandlers
  );
  for (const [method, member] of Object.entries(PAGINATED_LISTS)) {
    const original = handlers?.get(method);
    if (!original) continue;
    server.server.removeRequestHandler(method);
    server.server.setRequestHandler(/** @type {keyof typeof PAGINATED_LISTS} */ (method), async (request, ctx) => {
      const { cursor, ...params } = request.params ?? {};
      const offset = cursor === undefined ? 0 : decodeCursor(method, cursor);
      const full = await original({ jsonrpc: '2.0', id: 0, method, params }, ctx);
      const items = /** @type {unknown[]} */ (full[member] ?? []);
      const page = items.slice(offset, offset + pageSize);
      const next = offset + pageSize < items.length ? encodeCursor(method, offset + pageSize) : undefined;
      return /** @type {any} */ ({ ...full, [member]: page, ...(next !== undefined && { nextCursor: next }) });
    });
  }
}

/**
 * @param {string} method
 * @param {number} offset
 */
function encodeCursor(method, offset) {
  return Buffer.from(JSON.stringify({ m: method, o: offset })).toString('base64url');
}

/**
 * @param {string} method
 * @param {unknown} cursor
 * @returns {number}
 */
function decodeCursor(method, cursor) {
  /** @type {unknown} */
  let decoded;
  try {
    decoded = typeof cursor === 'string' && /^[A-Za-z0-9_-]+$/.test(cursor)
      ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
      : undefined;
  } catch {
    decoded = undefined;
  }
  const value = /** @type {{ m?: unknown, o?: unknown } | undefined} */ (decoded);
  if (!value || value.m !== method || !Number.isSafeInteger(value.o) || /** @type {number} */ (value.o) < 0) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor for ${method}`);
  }
  return /** @type {number} */ (value.o);
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

/** @param {string} value */
function quote(value) {
  return `"${value.replaceAll(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/**
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
function jsonRpcError(status, message, headers) {
  return json(status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers);
}

/**
 * Base64url SHA-256 of an access token: a proof's `ath` (RFC 9449 §4.2).
 * @param {string} token
 */
function accessTokenHash(token) {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

/**
 * Checks a DPoP proof JWT on its own (RFC 9449 §4.3 steps 1-11, minus nonce, replay and key
 * binding, which need server state or the token's introspection). Signature, `typ`, `alg` and
 * the embedded public key are verified by `jose`.
 *
 * @param {string | null} header the `DPoP` request header
 * @param {{ method: string, url: string, accessToken: string }} expected `url` without query or fragment
 * @returns {Promise<VerifiedProof>}
 * @throws {InvalidProof}
 */
async function verifyDpopProof(header, expected) {
  if (!header) throw new InvalidProof('DPoP proof missing');
  // Several DPoP header fields arrive joined by ", "; a compact JWS has neither.
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(header) || header.length > 8192) {
    throw new InvalidProof('DPoP header must be exactly one compact JWS');
  }
  /** @type {jose.JWTVerifyResult & jose.ResolvedKey} */
  let verified;
  try {
    const unverified = jose.decodeProtectedHeader(header);
    const jwk = unverified.jwk;
    if (!jwk || typeof jwk !== 'object') throw new InvalidProof('DPoP proof has no jwk header');
    const privateMember = PRIVATE_JWK_MEMBERS.find((m) => Object.hasOwn(jwk, m));
    if (privateMember) throw new InvalidProof(`DPoP proof jwk has the private member "${privateMember}"`);
    verified = await jose.jwtVerify(header, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS });
  } catch (error) {
    if (error instanceof InvalidProof) throw error;
    throw new InvalidProof(`DPoP proof rejected: ${/** @type {Error} */ (error).message}`);
  }
  const { payload, protectedHeader } = verified;
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 512) {
    throw new InvalidProof('DPoP proof needs a jti string');
  }
  if (payload.htm !== expected.method) throw new InvalidProof('DPoP proof htm does not match the request method');
  const htu = typeof payload.htu === 'string' ? URL.parse(payload.htu) : null;
  if (!htu) throw new InvalidProof('DPoP proof htu is not a URL');
  htu.search = '';
  htu.hash = '';
  if (htu.href !== expected.url) throw new InvalidProof('DPoP proof htu does not match the request URL');
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw new InvalidProof('DPoP proof needs an iat number');
  if (Math.abs(Date.now() / 1000 - payload.iat) > DPOP_IAT_WINDOW_S) {
    throw new InvalidProof('DPoP proof iat is outside the accepted window');
  }
  if (payload.ath !== accessTokenHash(expected.accessToken)) {
    throw new InvalidProof('DPoP proof ath does not match the access token');
  }
  const thumbprint = await jose.calculateJwkThumbprint(/** @type {jose.JWK} */ (protectedHeader.jwk), 'sha256');
  return { jti: payload.jti, iat: payload.iat, thumbprint, nonce: payload.nonce };
}

/**
 * Start the demo MCP server.
 *
 * @param {object} options
 * @param {number} [options.port] 0 = pick a free port. Binds 127.0.0.1; URLs use `localhost`.
 * @param {string[]} [options.appOrigins] exact origins allowed by CORS (and by the Origin check on /mcp)
 * @param {string} options.issuer authorization server issuer; metadata at issuer + '/.well-known/oauth-authorization-server'
 * @param {{ clientId: string, clientSecret: string }} options.introspectionClient credentials for RFC 7662 introspection (client_secret_basic)
 * @param {{ basic?: string, admin?: string }} [options.scopes]
 * @param {'allowed' | 'required' | 'off'} [options.dpop] RFC 9449 sender-constrained tokens:
 *   'allowed' (default) takes DPoP-bound tokens with a proof and unbound tokens as Bearer;
 *   'required' takes DPoP-bound tokens only (PRM says `dpop_bound_access_tokens_required`);
 *   'off' takes unbound Bearer tokens only.
 * @param {boolean} [options.dpopNonce] demand a server-issued `nonce` in every DPoP proof (RFC 9449 §9)
 * @param {number} [options.pageSize] when set, `tools/list`, `resources/list`, `resources/templates/list` and
 *   `prompts/list` return at most this many items per page with an opaque `nextCursor` (default: no pagination)
 * @returns {Promise<McpServerHandle>}
 */
export async function startMcpServer({
  port = 0,
  appOrigins = [],
  issuer,
  introspectionClient,
  scopes = { basic: 'mcp:basic', admin: 'mcp:admin' },
  dpop = 'allowed',
  dpopNonce = false,
  pageSize = undefined,
} = /** @type {any} */ ({})) {
  if (!issuer) throw new TypeError('startMcpServer: issuer is required');
  if (pageSize !== undefined && !(Number.isSafeInteger(pageSize) && pageSize >= 1)) {
    throw new TypeError(`startMcpServer: pageSize must be a positive integer, not ${JSON.stringify(pageSize)}`);
  }
  if (!introspectionClient?.clientId) throw new TypeError('startMcpServer: introspectionClient is required');
  if (!['allowed', 'required', 'off'].includes(dpop)) {
    throw new TypeError(`startMcpServer: dpop must be 'allowed', 'required' or 'off', not ${JSON.stringify(dpop)}`);
  }
  const useNonces = Boolean(dpopNonce) && dpop !== 'off';
  const basicScope = scopes.basic ?? 'mcp:basic';
  const adminScope = scopes.admin ?? 'mcp:admin';
  const allowedOrigins = new Set(appOrigins);

  /** @type {string[]} */
  const authorizations = [];
  /** @type {RequestRecord[]} */
  const requests = [];

  // Filled in once the port is known.
  let resourceUrl = '';
  let prmUrl = '';

  // ---- Introspection -------------------------------------------------------

  /** @type {Promise<string> | undefined} */
  let introspectionEndpoint;
  function getIntrospectionEndpoint() {
    introspectionEndpoint ??= (async () => {
      const metadataUrl = `${issuer.replace(/\/$/, '')}/.well-known/oauth-authorization-server`;
      const res = await fetch(metadataUrl, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`AS metadata ${metadataUrl} answered ${res.status}`);
      const metadata = /** @type {{ introspection_endpoint?: string }} */ (await res.json());
      if (!metadata.introspection_endpoint) throw new Error('AS metadata lists no introspection_endpoint');
      return metadata.introspection_endpoint;
    })();
    // Do not remember a failure: the AS may simply not be up yet.
    introspectionEndpoint.catch(() => {
      introspectionEndpoint = undefined;
    });
    return introspectionEndpoint;
  }

  /** @type {Map<string, { at: number, result: Introspection }>} */
  const introspectionCache = new Map();

  /**
   * @param {string} token
   * @returns {Promise<Introspection>}
   */
  async function introspect(token) {
    const cached = introspectionCache.get(token);
    if (cached && Date.now() - cached.at < INTROSPECTION_CACHE_MS) return cached.result;
    const endpoint = await getIntrospectionEndpoint();
    const basic = Buffer.from(
      `${encodeURIComponent(introspectionClient.clientId)}:${encodeURIComponent(introspectionClient.clientSecret)}`,
    ).toString('base64');
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!res.ok) throw new Error(`introspection answered ${res.status}`);
    const data = /** @type {Record<string, unknown>} */ (await res.json());
    const result = judgeIntrospection(token, data);
    introspectionCache.set(token, { at: Date.now(), result });
    if (introspectionCache.size > 1000) introspectionCache.delete(introspectionCache.keys().next().value ?? '');
    return result;
  }

  /**
   * @param {string} token
   * @param {Record<string, unknown>} data RFC 7662 response
   * @returns {Introspection}
   */
  function judgeIntrospection(token, data) {
    if (data.active !== true) return { ok: false, reason: 'inactive' };
    const aud = data.aud;
    const audOk = typeof aud === 'string' ? aud === resourceUrl : Array.isArray(aud) && aud.includes(resourceUrl);
    if (!audOk) return { ok: false, reason: `audience ${JSON.stringify(aud)} is not ${resourceUrl}` };
    const exp = typeof data.exp === 'number' ? data.exp : undefined;
    if (exp !== undefined && exp * 1000 <= Date.now()) return { ok: false, reason: 'expired' };
    const tokenScopes = typeof data.scope === 'string' ? data.scope.split(' ').filter(Boolean) : [];
    if (!tokenScopes.includes(basicScope)) return { ok: false, reason: `scope lacks ${basicScope}` };
    const cnf = data.cnf && typeof data.cnf === 'object' ? /** @type {Record<string, unknown>} */ (data.cnf) : undefined;
    if (cnf && typeof cnf.jkt !== 'string') {
      // Bound some other way (e.g. mTLS `x5t#S256`): nothing this server can check.
      return { ok: false, reason: `unsupported confirmation ${JSON.stringify(cnf)}` };
    }
    const jkt = /** @type {string | undefined} */ (cnf?.jkt);
    return {
      ok: true,
      scopes: tokenScopes,
      ...(jkt !== undefined && { jkt }),
      authInfo: {
        token,
        clientId: typeof data.client_id === 'string' ? data.client_id : '',
        scopes: tokenScopes,
        expiresAt: exp,
        resource: new URL(resourceUrl),
        resourceMetadataUrl: prmUrl,
        extra: { sub: data.sub, iss: data.iss, ...(jkt !== undefined && { jkt }) },
      },
    };
  }

  // ---- DPoP: server nonces and the proof replay cache -----------------------

  const nonceState = { current: randomBytes(18).toString('base64url'), previous: '', since: Date.now() };

  /** The nonce to hand out now (rotating it if due). */
  function currentNonce() {
    const age = Date.now() - nonceState.since;
    if (age >= DPOP_NONCE_ROTATE_MS) {
      // After a long idle spell the old "current" is too old to honour as "previous".
      nonceState.previous = age < 2 * DPOP_NONCE_ROTATE_MS ? nonceState.current : '';
      nonceState.current = randomBytes(18).toString('base64url');
      nonceState.since = Date.now();
    }
    return nonceState.current;
  }

  /** @param {unknown} nonce */
  function nonceAccepted(nonce) {
    const current = currentNonce();
    return typeof nonce === 'string' && nonce !== '' && (nonce === current || nonce === nonceState.previous);
  }

  /** `jkt jti` -> ms after which the proof's iat is out of the window anyway. */
  /** @type {Map<string, number>} */
  const seenProofs = new Map();
  let proofsSinceSweep = 0;

  /**
   * Remembers a proof; false if it was seen before (replay) or the cache is full.
   * Synchronous, so two concurrent copies of one proof cannot both pass.
   * @param {VerifiedProof} proof
   * @returns {'fresh' | 'replay' | 'full'}
   */
  function rememberProof(proof) {
    const now = Date.now();
    if (++proofsSinceSweep >= 500 || seenProofs.size >= DPOP_REPLAY_CACHE_MAX) {
      proofsSinceSweep = 0;
      for (const [key, until] of seenProofs) if (until <= now) seenProofs.delete(key);
    }
    const key = `${proof.thumbprint} ${proof.jti}`;
    const until = seenProofs.get(key);
    if (until !== undefined && until > now) return 'replay';
    if (seenProofs.size >= DPOP_REPLAY_CACHE_MAX) return 'full';
    seenProofs.set(key, (proof.iat + DPOP_IAT_WINDOW_S + 1) * 1000);
    return 'fresh';
  }

  // ---- MCP handlers --------------------------------------------------------

  // State shared by every instance this server builds, on both revisions.
  let counter = 0;
  let extraEnabled = false;
  /** @type {DemoState} */
  const demo = {
    counter: () => counter,
    bumpCounter() {
      counter++;
      // 2025-11-25: sessions that sent resources/subscribe (delivered on the GET stream).
      for (const { server } of sessions.values()) {
        if (subscribedResources(server).has(COUNTER_URI)) {
          server.server.sendResourceUpdated({ uri: COUNTER_URI }).catch((error) => debug('resources/updated:', error.message));
        }
      }
      // 2026-07-28: open subscriptions/listen streams whose filter names the URI.
      modern.notify.resourceUpdated(COUNTER_URI);
      return counter;
    },
    extraEnabled: () => extraEnabled,
    toggleExtra() {
      extraEnabled = !extraEnabled;
      // 2025-11-25: each session's own instance changes (the SDK sends list_changed on it).
      for (const { server } of sessions.values()) setExtraTool(server, extraEnabled);
      // 2026-07-28: instances are per request (the factory reads the flag); tell listeners.
      modern.notify.toolsChanged();
      return extraEnabled;
    },
    ...(pageSize !== undefined && { pageSize }),
  };

  const factory = () => buildMcpServer({ admin: adminScope }, demo);

  /** 2026-07-28: stateless, one McpServer per request, built by the SDK entry. */
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    onerror: (error) => debug('modern handler:', error.message),
  });

  /** 2025-11-25: one transport + McpServer per session. */
  /** @type {Map<string, { transport: WebStandardStreamableHTTPServerTransport, server: McpServer, principal: string }>} */
  const sessions = new Map();

  /**
   * Who a session belongs to: later requests on it must come from the same
   * client and subject (the token itself may change, e.g. after a refresh or
   * a scope step-up).
   *
   * @param {import('@modelcontextprotocol/server').AuthInfo} authInfo
   */
  function principalOf(authInfo) {
    return JSON.stringify([authInfo.clientId, authInfo.extra?.sub ?? null]);
  }

  /**
   * @param {Request} request
   * @param {unknown} parsedBody
   * @param {import('@modelcontextprotocol/server').AuthInfo} authInfo
   * @returns {Promise<Response>}
   */
  async function serveLegacy(request, parsedBody, authInfo) {
    const sessionId = request.headers.get('mcp-session-id');
    const options = { authInfo, ...(parsedBody !== undefined && { parsedBody }) };
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session || session.principal !== principalOf(authInfo)) {
        return json(404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
      }
      return session.transport.handleRequest(request, options);
    }
    const isInit = request.method === 'POST' &&
      (Array.isArray(parsedBody) ? parsedBody.some((m) => isInitializeRequest(m)) : isInitializeRequest(parsedBody));
    if (!isInit) {
      return jsonRpcError(400, 'Bad Request: no valid Mcp-Session-Id (send initialize first, or use protocol 2026-07-28)');
    }
    const server = factory();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, principal: principalOf(authInfo) });
        debug('session opened', id);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        debug('session deleted', id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    transport.onerror = (error) => debug('legacy transport:', error.message);
    await server.connect(transport);
    return transport.handleRequest(request, options);
  }

  // ---- HTTP front ----------------------------------------------------------

  /**
   * @param {string | null} origin
   * @param {Headers} headers
   */
  function addCors(origin, headers) {
    headers.append('Vary', 'Origin');
    if (origin && allowedOrigins.has(origin)) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
  }

  /** @param {Request} request */
  function preflight(request) {
    const origin = request.headers.get('origin');
    if (!origin || !allowedOrigins.has(origin)) {
      return new Response(null, { status: 403, headers: { Vary: 'Origin' } });
    }
    const requested = (request.headers.get('access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const allowed = new Map(ALLOWED_REQUEST_HEADERS.map((h) => [h.toLowerCase(), h]));
    for (const name of requested) {
      const lower = name.toLowerCase();
      if (ALLOWED_REQUEST_HEADER_SET.has(lower) || lower.startsWith('mcp-')) allowed.set(lower, name);
    }
    return new Response(null, {
      status: 204,
      headers: {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': [...allowed.values()].join(', '),
        'Access-Control-Expose-Headers': EXPOSED_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      },
    });
  }

  /** Schemes this server accepts, in the order challenges list them when nothing says otherwise. */
  /** @type {('Bearer' | 'DPoP')[]} */
  const offeredSchemes = dpop === 'off' ? ['Bearer'] : dpop === 'required' ? ['DPoP'] : ['Bearer', 'DPoP'];

  /**
   * One challenge: RFC 6750 §3 parameters, RFC 9728 `resource_metadata`, and for DPoP the
   * RFC 9449 §7.1 `algs`.
   * @param {'Bearer' | 'DPoP'} scheme
   * @param {{ error?: string, description?: string, scope?: string }} [details]
   */
  function challenge(scheme, { error, description, scope = basicScope } = {}) {
    const params = [];
    if (error) params.push(`error=${quote(error)}`);
    if (error && description) params.push(`error_description=${quote(description)}`);
    if (scheme === 'DPoP') params.push(`algs=${quote(DPOP_ALGS.join(' '))}`);
    params.push(`resource_metadata=${quote(prmUrl)}`, `scope=${quote(scope)}`);
    return `${scheme} ${params.join(', ')}`;
  }

  /**
   * 401 with a challenge per accepted scheme (in one header field). The error, if any, goes
   * on the challenge of `errorScheme` (or the only scheme offered), which is listed first.
   *
   * @param {{ errorScheme?: 'Bearer' | 'DPoP', error?: string, description?: string }} [details]
   */
  function unauthorized({ errorScheme, error, description } = {}) {
    const first = errorScheme && offeredSchemes.includes(errorScheme) ? errorScheme : offeredSchemes[0];
    const schemes = [first, ...offeredSchemes.filter((s) => s !== first)];
    const header = schemes
      .map((s) => challenge(s, s === first && error ? { error, description } : {}))
      .join(', ');
    return json(
      401,
      { error: error ?? 'unauthorized', error_description: description ?? (error ? 'The access token is invalid' : 'Authorization required') },
      { 'WWW-Authenticate': header },
    );
  }

  /** 401 use_dpop_nonce with a fresh nonce (RFC 9449 §9). */
  function useDpopNonce() {
    const description = 'Resource server requires nonce in DPoP proof';
    return json(
      401,
      { error: 'use_dpop_nonce', error_description: description },
      {
        'WWW-Authenticate': `DPoP error="use_dpop_nonce", error_description=${quote(description)}, algs=${quote(DPOP_ALGS.join(' '))}`,
        'DPoP-Nonce': currentNonce(),
      },
    );
  }

  /** @param {'Bearer' | 'DPoP'} scheme the scheme the token was presented with */
  function forbiddenScope(scheme) {
    const description = `This operation requires the ${adminScope} scope`;
    return json(
      403,
      { error: 'insufficient_scope', error_description: description },
      { 'WWW-Authenticate': challenge(scheme, { error: 'insufficient_scope', description, scope: adminScope }) },
    );
  }

  /**
   * @param {unknown} body parsed JSON-RPC body (message or batch)
   * @returns {boolean} whether some message calls a tool that needs the admin scope
   */
  function needsAdmin(body) {
    const messages = Array.isArray(body) ? body : [body];
    return messages.some(
      (m) => m && typeof m === 'object' && m.method === 'tools/call' && m.params?.name === 'admin-report',
    );
  }

  /**
   * @param {Request} request
   * @param {RequestRecord} record
   * @returns {Promise<Response>}
   */
  async function serveMcp(request, record) {
    const origin = request.headers.get('origin');
    if (origin !== null && !allowedOrigins.has(origin)) {
      return jsonRpcError(403, 'Forbidden: Origin not allowed');
    }

    const authorization = request.headers.get('authorization');
    if (authorization !== null) authorizations.push(authorization);
    record.credentialed = authorization !== null;

    // Read the body (from a clone: the SDK may still read the original).
    /** @type {unknown} */
    let parsedBody;
    if (request.method === 'POST') {
      try {
        const text = await request.clone().text();
        if (text) parsedBody = JSON.parse(text);
      } catch {
        parsedBody = undefined; // let the SDK answer the parse error
      }
      const methods = (Array.isArray(parsedBody) ? parsedBody : [parsedBody])
        .map((m) => (m && typeof m === 'object' && typeof m.method === 'string' ? m.method : undefined))
        .filter(Boolean);
      if (methods.length > 0) record.mcpMethod = methods.join(',');
    }

    // Access token (Bearer or DPoP), validated by introspection.
    if (!authorization) return unauthorized();
    const match = authorization.match(/^(Bearer|DPoP)\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i);
    /** @type {'Bearer' | 'DPoP'} */
    const scheme = /^dpop\b/i.test(authorization) ? 'DPoP' : 'Bearer';
    /** @param {string} description @param {string} [error] @param {'Bearer' | 'DPoP'} [errorScheme] */
    const refuse = (description, error = 'invalid_token', errorScheme = scheme) => {
      debug('refused:', description);
      return unauthorized({ errorScheme, error, description });
    };
    if (!match) return refuse('Malformed Authorization header');
    const token = match[2];
    if (scheme === 'DPoP' && dpop === 'off') return refuse('This resource does not accept DPoP', 'invalid_token', 'Bearer');
    if (scheme === 'Bearer' && dpop === 'required') {
      return refuse('This resource requires a DPoP-bound access token', 'invalid_token', 'DPoP');
    }

    // DPoP: the proof on its own first (no need to introspect for a bad proof), then the nonce.
    /** @type {VerifiedProof | undefined} */
    let proof;
    if (scheme === 'DPoP') {
      try {
        proof = await verifyDpopProof(request.headers.get('dpop'), {
          method: request.method,
          url: resourceUrl,
          accessToken: token,
        });
      } catch (error) {
        if (!(error instanceof InvalidProof)) throw error;
        return refuse(error.message, 'invalid_dpop_proof');
      }
      if (useNonces && !nonceAccepted(proof.nonce)) return useDpopNonce();
    }

    /** @type {Introspection} */
    let verdict;
    try {
      verdict = await introspect(token);
    } catch (error) {
      debug('introspection failed:', /** @type {Error} */ (error).message);
      return json(503, { error: 'temporarily_unavailable', error_description: 'Token introspection failed' });
    }
    if (!verdict.ok || !verdict.authInfo) return refuse(`The access token is invalid (${verdict.reason})`);

    // Key binding (RFC 9449 §7.1): a bound token only with a proof from its key, an unbound one only as Bearer.
    if (verdict.jkt !== undefined) {
      if (dpop === 'off') return refuse('DPoP-bound access tokens are not accepted here');
      if (!proof) return refuse('DPoP-bound access token presented without DPoP', 'invalid_token', 'DPoP');
      if (proof.thumbprint !== verdict.jkt) return refuse('Invalid DPoP key binding');
    } else if (proof) {
      return refuse('The access token is not DPoP-bound; present it as Bearer');
    }
    if (proof) {
      const seen = rememberProof(proof);
      if (seen === 'replay') return refuse('DPoP proof replayed (jti already seen)', 'invalid_dpop_proof');
      if (seen === 'full') {
        return json(503, { error: 'temporarily_unavailable', error_description: 'Too many DPoP proofs; retry shortly' }, { 'Retry-After': '5' });
      }
    }
    const authInfo = verdict.authInfo;

    // Per-tool scope, checked before the SDK sees the request.
    if (parsedBody !== undefined && needsAdmin(parsedBody) && !authInfo.scopes.includes(adminScope)) {
      return forbiddenScope(scheme);
    }

    if (await isLegacyRequest(request, parsedBody)) return serveLegacy(request, parsedBody, authInfo);
    return modern.fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
  }

  /**
   * The whole HTTP surface as a web-standard fetch handler.
   *
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  async function app(request) {
    const url = new URL(request.url);
    /** @type {RequestRecord} */
    const record = { method: request.method, path: url.pathname, status: 0, time: Date.now() };
    requests.push(record);

    /** @type {Response} */
    let response;
    try {
      response = await route(request, url, record);
    } catch (error) {
      debug('unhandled error:', error);
      response = jsonRpcError(500, 'Internal server error');
    }
    record.status = response.status;
    debug(record.method, record.path, record.mcpMethod ?? '', '->', record.status);
    return response;
  }

  /**
   * @param {Request} request
   * @param {URL} url
   * @param {RequestRecord} record
   * @returns {Promise<Response>}
   */
  async function route(request, url, record) {
    const hostname = url.hostname.startsWith('[') ? url.hostname : url.hostname.toLowerCase();
    if (!ALLOWED_HOSTNAMES.has(hostname)) return jsonRpcError(403, 'Forbidden: Host not allowed');

    const path = url.pathname;
    const origin = request.headers.get('origin');

    if (path === '/.well-known/oauth-protected-resource/mcp' || path === '/.well-known/oauth-protected-resource') {
      // Public metadata: readable from any origin.
      const cors = { 'Access-Control-Allow-Origin': '*' };
      if (request.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: { ...cors, 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': '*' },
        });
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return json(405, { error: 'method_not_allowed' }, { ...cors, Allow: 'GET, OPTIONS' });
      }
      return json(
        200,
        {
          resource: resourceUrl,
          authorization_servers: [issuer],
          scopes_supported: [basicScope, adminScope],
          bearer_methods_supported: ['header'],
          resource_name: 'Keyhole demo MCP server',
          ...(dpop !== 'off' && { dpop_signing_alg_values_supported: DPOP_ALGS }),
          ...(dpop === 'required' && { dpop_bound_access_tokens_required: true }),
        },
        { ...cors, 'Cache-Control': 'no-store' },
      );
    }

    if (request.method === 'OPTIONS') return preflight(request);

    /** @type {Response} */
    let response;
    if (path === '/mcp') {
      response = await serveMcp(request, record);
    } else {
      response = json(404, { error: 'not_found' });
    }
    // Responses from the SDK may have immutable headers: rebuild.
    const headers = new Headers(response.headers);
    addCors(origin, headers);
    // A current nonce on every /mcp answer (RFC 9449 §9: the client uses the latest one it got).
    if (useNonces && path === '/mcp' && !headers.has('DPoP-Nonce')) headers.set('DPoP-Nonce', currentNonce());
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  // ---- Node HTTP server ----------------------------------------------------

  const nodeHandler = toNodeHandler({ fetch: app }, { onerror: (error) => debug('node adapter:', error.message) });
  const httpServer = http.createServer((req, res) => {
    // Node sends the status line and headers with the first body chunk. A
    // standalone GET event stream may stay silent for a long time, so flush
    // the headers of event streams at once.
    const writeHead = res.writeHead;
    res.writeHead = /** @type {typeof res.writeHead} */ (
      function (/** @type {any[]} */ ...args) {
        const result = writeHead.apply(res, /** @type {any} */ (args));
        const headers = args.find((a) => a && typeof a === 'object') ?? {};
        const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
        if (String(contentType ?? '').startsWith('text/event-stream')) res.flushHeaders();
        return result;
      }
    );
    void nodeHandler(req, res);
  });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve(undefined);
    });
  });
  const address = httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  resourceUrl = `http://localhost:${actualPort}/mcp`;
  prmUrl = `http://localhost:${actualPort}/.well-known/oauth-protected-resource/mcp`;
  debug('listening on', resourceUrl);

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    const closing = [...sessions.values()].map(({ transport }) => transport.close().catch(() => {}));
    sessions.clear();
    await Promise.all([...closing, modern.close().catch(() => {})]);
    await new Promise((resolve) => {
      httpServer.close(() => resolve(undefined));
      httpServer.closeAllConnections();
    });
  }

  return { url: resourceUrl, port: actualPort, close, authorizations, requests };
}

#!/usr/bin/env node
// The `--command` the conformance runner spawns for each client scenario:
//
//   exec node test/conformance/browser-client.mjs <serverUrl>
//
// It opens Keyhole in a fresh headless Chromium and drives it through the UI
// the way a person would: paste the server URL, Connect, click Authorize when
// asked, call the tool once connected, and report the outcome as the exit code
// (0 = tool result ok, 1 = the app showed an error or the run got stuck).
//
// Inputs
//   argv[last]                        MCP server URL (appended by the runner)
//   MCP_CONFORMANCE_SCENARIO          scenario name (set by the runner)
//   MCP_CONFORMANCE_PROTOCOL_VERSION  revision; passed to the app as ?protocol=
//   MCP_CONFORMANCE_CONTEXT           JSON; client_id/client_secret for auth/pre-registration
//   KEYHOLE_APP_URL                   app URL (default http://localhost:4173/)
//   CHROME_PATH                       Chromium binary (else /usr/bin/chromium, else Playwright's;
//                                     see scripts/find-chromium.mjs)
//   KEYHOLE_DRIVER_TIMEOUT_MS         overall budget (default 50000, below the runner's 60000)
//   KEYHOLE_MAX_AUTHORIZE_CLICKS      safety cap (default 6: more than the 3 the app may make,
//                                     so an app that over-retries is still caught by the suite)
//   KEYHOLE_SCREENSHOT_DIR            if set, a screenshot is saved there when the run fails
//   KEYHOLE_HEADED=1                  show the browser (debugging)
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const started = Date.now();
const serverUrl = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '(no scenario)';
const protocol = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
const context = parseContext(process.env.MCP_CONFORMANCE_CONTEXT);
const appUrl = process.env.KEYHOLE_APP_URL ?? 'http://localhost:4173/';
const budgetMs = Number(process.env.KEYHOLE_DRIVER_TIMEOUT_MS ?? 50_000);
const maxAuthorizeClicks = Number(process.env.KEYHOLE_MAX_AUTHORIZE_CLICKS ?? 6);
// How long to wait, after coming back from an authorization that interrupted a
// tool call, for the app to re-run that call by itself before clicking again.
const rerunGraceMs = 8_000;
// How long Authorize must stay visible before it is clicked.
const settleMs = 300;

// Which tool to call. Auth scenarios all expose `test-tool`. `null`: the scenario
// checks connecting and listing tools only (its server has no tool to call).
const TOOLS = {
  tools_call: { name: 'add_numbers', args: { a: 5, b: 3 } },
  'http-standard-headers': { name: 'test_headers', args: {} },
  initialize: null,
  'request-metadata': null,
  'json-schema-ref-no-deref': null,
  // Its server closes the tool call's stream with a retry interval; the result comes on the GET
  // stream the client must reopen with Last-Event-ID, through the worker.
  'sse-retry': { name: 'test_reconnection', args: {} },
  // The tool asks for information whose schema has a default for every field: the person presses
  // Send on the form Keyhole drew, with those defaults filled in (SEP-1034).
  'elicitation-sep1034-client-defaults': { name: 'test_client_elicitation_defaults', args: {}, answerElicitation: true },
  // The person copies the schema Keyhole shows for one tool into the arguments of the echo tool:
  // what the server gets back is what the app received and showed (SEP-1613, SEP-2106).
  'json-schema-2020-12-preservation': { name: 'json_schema_echo', argsFromSchemaOf: 'json_schema_2020_12_tool' },
};

// Scenarios with several calls: once connected, the person makes them in this order (see SCRIPTS).
const SCRIPTS = {
  // Multi round-trip requests (SEP-2322): the server answers two tools with input_required (with
  // and without requestState); the person answers each question with the form as drawn. While
  // the first waits for the answer, the person calls another tool, which must carry nothing of it.
  'sep-2322-client-request-state': async (card) => {
    await callByUi(card, 'test_mrtr_echo_state', {});
    await waitForQuestion(card);
    await callByUi(card, 'test_mrtr_unrelated', {});
    await expectResult(card, 'test_mrtr_unrelated');
    await clickSend(card);
    await expectResult(card, 'test_mrtr_echo_state');
    await callByUi(card, 'test_mrtr_no_state', {});
    await waitForQuestion(card);
    await clickSend(card);
    await expectResult(card, 'test_mrtr_no_state');
    await callByUi(card, 'test_mrtr_no_result_type', {});
    await expectResult(card, 'test_mrtr_no_result_type');
    return 'four tools called, two questions answered';
  },
  // Custom headers (SEP-2243): the calls the scenario gives, arguments typed as JSON.
  'http-custom-headers': async (card) => {
    const calls = context.toolCalls ?? [];
    if (!calls.length) throw new Error('the scenario gave no tool calls (MCP_CONFORMANCE_CONTEXT.toolCalls)');
    for (const { name, arguments: args } of calls) {
      await callByUi(card, name, args ?? {});
      await expectResult(card, name);
    }
    return `called ${calls.map((c) => c.name).join(', ')}`;
  },
  // Tools with an invalid x-mcp-header are not listed; the valid one is, and the person calls it.
  'http-invalid-tool-headers': async (card) => {
    const listed = await listedTools(card);
    const note = (await card.locator('[data-excluded-tools]').innerText({ timeout: 2000 }).catch(() => '')).trim();
    log(`tools listed: ${listed.join(', ')}; note: ${note.replace(/\s+/g, ' ').slice(0, 300)}`);
    if (listed.some((n) => n.startsWith('invalid_'))) throw new Error(`invalid tools listed: ${listed.join(', ')}`);
    await callByUi(card, 'valid_tool', { region: 'us-west1' });
    await expectResult(card, 'valid_tool');
    return `valid_tool called; left out: ${note ? 'noted' : 'no note'}`;
  },
};
const script = SCRIPTS[scenario];

const connectOnly = TOOLS[scenario] === null;
const tool = {
  name: process.env.KEYHOLE_TOOL ?? TOOLS[scenario]?.name ?? 'test-tool',
  args: process.env.KEYHOLE_TOOL_ARGS ?? JSON.stringify(TOOLS[scenario]?.args ?? {}),
};

function log(msg) {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[driver ${t}s] ${msg}\n`);
}

function parseContext(raw) {
  if (!raw) return {};
  try { return JSON.parse(raw); } catch { log(`bad MCP_CONFORMANCE_CONTEXT: ${raw}`); return {}; }
}

// The project's one place for finding Chromium (scripts/find-chromium.mjs):
// CHROME_PATH, then /usr/bin/chromium, then Playwright's own. The fallback
// below only matters if that module is missing.
const FALLBACK_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
async function chromium_() {
  try {
    const m = await import(new URL('../../scripts/find-chromium.mjs', import.meta.url).href);
    return { executablePath: await m.findChromium(), args: m.CHROMIUM_ARGS ?? FALLBACK_ARGS };
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e; // e.g. CHROME_PATH points nowhere
    const found = [process.env.CHROME_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
    return { executablePath: found, args: FALLBACK_ARGS }; // undefined: Playwright's own
  }
}

function short(url) {
  try { const u = new URL(url); return `${u.origin}${u.pathname}`; } catch { return url; }
}

function cssString(s) {
  return `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// A form field by its accessible name. getByLabel misses a <label> that wraps a
// textarea (the label text then includes the value), the textbox role misses
// password inputs; either one is enough.
function field(scope, name) {
  return scope.getByLabel(name, { exact: true })
    .or(scope.getByRole('textbox', { name, exact: true })).first();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let browser;
let finishing = false;
let navigations = 0; // main-frame navigations seen

async function finish(code, reason, page) {
  if (finishing) return;
  finishing = true;
  log(`${code === 0 ? 'OK' : 'FAIL'}: ${reason}`);
  if (code !== 0 && page && process.env.KEYHOLE_SCREENSHOT_DIR) {
    try {
      const dir = process.env.KEYHOLE_SCREENSHOT_DIR;
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${scenario.replace(/\W+/g, '_')}-${protocol ?? 'default'}.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: 3000 });
      log(`screenshot: ${file}`);
    } catch { /* best effort */ }
  }
  await browser?.close().catch(() => {});
  process.exit(code);
}

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    log(`${sig}: closing the browser`);
    finishing = true;
    const done = () => process.exit(sig === 'SIGTERM' ? 143 : 130);
    (browser ? browser.close() : Promise.resolve()).then(done, done);
    setTimeout(done, 3000).unref();
  });
}

// Reads the card's state in one go; null while the page is navigating or the
// card is not rendered (e.g. on the callback page).
async function readCard(card) {
  try {
    if ((await card.count()) === 0) return null;
    const state = await card.getAttribute('data-state', { timeout: 500 });
    const authorize = card.getByRole('button', { name: 'Authorize', exact: true });
    const alert = card.getByRole('alert');
    const toolItem = toolOption(card, tool.name);
    const output = card.locator(`output[data-tool-result=${cssString(tool.name)}]`);
    const [authorizeVisible, alertCount, toolCount, outputCount] = await Promise.all([
      authorize.isVisible(), alert.count(), toolItem.count(), output.count(),
    ]);
    const alertText = alertCount ? (await alert.first().innerText({ timeout: 500 })).trim() : '';
    let result = null;
    if (outputCount) {
      result = {
        state: await output.first().getAttribute('data-state', { timeout: 500 }),
        text: (await output.first().innerText({ timeout: 500 })).trim(),
      };
    }
    return { state, authorizeVisible, alertText, hasTool: toolCount > 0, result };
  } catch {
    return null; // execution context destroyed by a navigation, detached node, ...
  }
}

// A tool's entry in the card's tool list (the Tools tab is list and detail).
function toolOption(card, name) {
  return card.getByRole('listbox', { name: 'Tools' }).locator(`[role="option"][data-key=${cssString(name)}]`);
}

// Opens a tool from the list, as a person clicks it, and returns its detail (form, Call, result).
async function openTool(card, name) {
  await toolOption(card, name).click({ timeout: 2000 });
  return card.locator(`section[data-tool=${cssString(name)}]`);
}

/** Calls a tool as a person does: opens it, types the arguments as JSON, presses Call. */
async function callByUi(card, name, args) {
  const item = await openTool(card, name);
  const json = item.getByRole('button', { name: 'JSON', exact: true });
  if ((await json.getAttribute('aria-pressed', { timeout: 5000 })) !== 'true') await json.click({ timeout: 2000 });
  await field(item, `Arguments for ${name} (JSON)`).fill(JSON.stringify(args), { timeout: 2000 });
  await item.getByRole('button', { name: `Call ${name}`, exact: true }).click({ timeout: 2000 });
  log(`called ${name} with ${JSON.stringify(args)}`);
}

/** Waits for the server's question to show. */
async function waitForQuestion(card) {
  const ask = card.locator('ask-view').first();
  await ask.waitFor({ timeout: 10_000 });
  log(`the server asks: ${(await ask.innerText()).replace(/\s+/g, ' ').slice(0, 120)}`);
}

/** Presses Send on the question's form as drawn. */
async function clickSend(card) {
  await card.locator('ask-view').first().getByRole('button', { name: 'Send', exact: true }).click({ timeout: 2000 });
  log('pressed Send');
}

/** Waits for a tool's result and fails unless it is a result (not an error). */
async function expectResult(card, name) {
  const out = card.locator(`output[data-tool-result=${cssString(name)}]`);
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const state = await out.getAttribute('data-state', { timeout: 1000 }).catch(() => null);
    if (state === 'ok') return log(`${name} → ${(await out.innerText()).trim().slice(0, 120)}`);
    if (state === 'error') throw new Error(`${name} failed: ${(await out.innerText()).trim().slice(0, 300)}`);
    await sleep(150);
  }
  throw new Error(`${name}: no result within 15 s`);
}

async function listedTools(card) {
  try {
    return await card.getByRole('listbox', { name: 'Tools' }).locator('[role="option"][data-key]').evaluateAll((els) => els.map((e) => e.dataset.key));
  } catch { return []; }
}

async function main() {
  if (!serverUrl || !/^https?:\/\//.test(serverUrl)) {
    log(`usage: browser-client.mjs <serverUrl> (got ${serverUrl ?? 'nothing'})`);
    process.exit(2);
  }
  const target = new URL(appUrl);
  if (protocol) target.searchParams.set('protocol', protocol);
  log(`${scenario} @ ${protocol ?? 'app default'}: ${serverUrl} via ${target}`);

  const { executablePath, args } = await chromium_();
  browser = await chromium.launch({
    executablePath,
    headless: process.env.KEYHOLE_HEADED !== '1', // Playwright adds --headless
    chromiumSandbox: false,
    args,
    handleSIGTERM: false, // ours above closes the browser and exits
    handleSIGINT: false,
    handleSIGHUP: false,
  });
  log(`chromium ${browser.version()} (${executablePath ?? 'playwright bundled'})`);
  const browserContext = await browser.newContext();
  const page = await browserContext.newPage();

  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') log(`console: ${m.text()}`); });
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame()) return;
    navigations++;
    log(`at ${short(f.url())}`);
  });

  const deadline = started + budgetMs;
  const timer = setTimeout(() => finish(1, `gave up after ${budgetMs} ms`, page), Math.max(0, deadline - Date.now()));
  timer.unref();

  await page.goto(target.href, { waitUntil: 'load' });

  // Add the server through the form.
  await field(page, 'MCP server URL').fill(serverUrl);
  if (context.client_id || context.client_secret) {
    const summary = page.locator('summary', { hasText: 'Client settings' });
    const details = page.locator('details.client');
    if (!(await details.evaluate((d) => d.open))) await summary.click();
    if (context.client_id) await field(page, 'Client ID').fill(context.client_id);
    if (context.client_secret) await field(page, 'Client secret').fill(context.client_secret);
    log(`client settings: client_id=${context.client_id ?? '-'} secret=${context.client_secret ? 'yes' : 'no'}`);
  }
  await page.locator('details.add').getByRole('button', { name: 'Connect', exact: true }).click();
  log('Connect clicked');

  const card = page.locator(`[data-server-url=${cssString(serverUrl)}]`).first();

  let authorizeClicks = 0;
  let callClicks = 0;
  let callPending = false; // a call was made and no result has been seen yet
  let backSince = 0;       // card seen connected since (reset by Authorize and by each call)
  let noToolSince = 0;     // connected but the tool is not listed, since
  let lastDesc = '';
  let askedSince = null;   // {nav, at}: Authorize first seen on this page load

  while (!finishing) {
    const s = await readCard(card);
    if (!s) { await sleep(150); continue; }

    const desc = `state=${s.state}${s.authorizeVisible ? ' [Authorize]' : ''}${s.hasTool ? ` [${tool.name}]` : ''}` +
      (s.result ? ` result=${s.result.state}` : '');
    if (desc !== lastDesc) { log(desc); lastDesc = desc; }

    if (s.state !== 'needs-authorization') askedSince = null;
    if (s.state === 'error') {
      return finish(1, `card error: ${s.alertText || '(no role=alert text)'}`, page);
    }
    if (s.authorizeVisible && s.state === 'needs-authorization') {
      // Only act on an Authorize that has stayed up for a moment on this page
      // load, so a stale state rendered right after the redirect back is not
      // clicked (a second authorization request would skew the suite's counts).
      if (askedSince?.nav !== navigations) askedSince = { nav: navigations, at: Date.now() };
      if (Date.now() - askedSince.at < settleMs) { await sleep(100); continue; }
      if (authorizeClicks >= maxAuthorizeClicks) {
        return finish(1, `app asked for authorization more than ${maxAuthorizeClicks} times`, page);
      }
      authorizeClicks++;
      log(`clicking Authorize (#${authorizeClicks})`);
      const navsBefore = navigations;
      try {
        await card.getByRole('button', { name: 'Authorize', exact: true }).click({ timeout: 2000 });
      } catch (e) {
        log(`Authorize click did not complete: ${e.message.split('\n')[0]}`);
      }
      backSince = 0;
      // The click starts a full-page redirect (AS -> callback -> app). Don't
      // look at the old page again until it has navigated away, or the card
      // has at least left needs-authorization (5 s at most).
      const until = Date.now() + 5000;
      while (!finishing && navigations === navsBefore && Date.now() < until) {
        const now = await readCard(card);
        if (now && now.state !== 'needs-authorization') break;
        await sleep(100);
      }
      continue;
    }

    if (TOOLS[scenario]?.answerElicitation) {
      const ask = card.locator('ask-view');
      if (await ask.count()) {
        log('the server asks for information: pressing Send with the form as drawn');
        await ask.getByRole('button', { name: 'Send', exact: true }).click({ timeout: 2000 }).catch((e) => log(`Send: ${e.message.split('\n')[0]}`));
        await sleep(300);
        continue;
      }
    }

    // A result counts once the card is not asking for authorization again.
    if (s.result?.state === 'ok') {
      return finish(0, `${tool.name} → ${s.result.text.slice(0, 200)}`, page);
    }
    if (s.result?.state === 'error') {
      return finish(1, `${tool.name} failed: ${s.result.text.slice(0, 500)}`, page);
    }

    if (s.state === 'connected' && script) {
      try {
        return finish(0, await script(card), page);
      } catch (e) {
        return finish(1, e.message, page);
      }
    }

    if (s.state === 'connected' && connectOnly) {
      return finish(0, `connected, tools listed: ${(await listedTools(card)).join(', ') || 'none'}`, page);
    }

    if (s.state === 'connected' && s.hasTool) {
      if (!backSince) backSince = Date.now();
      noToolSince = 0;
      // After an authorization that interrupted a call, the app re-runs that
      // call by itself; only call again if no result shows up in time.
      const shouldCall = !callPending || Date.now() - backSince >= rerunGraceMs;
      if (shouldCall) {
        if (callPending) log(`no result ${rerunGraceMs} ms after the last call/authorization: calling again`);
        callClicks++;
        log(`calling ${tool.name} with ${tool.args} (#${callClicks})`);
        try {
          let args = tool.args;
          const source = TOOLS[scenario]?.argsFromSchemaOf;
          if (source) {
            const shown = (await openTool(card, source)).locator('[data-input-schema]');
            args = JSON.stringify({ schema: JSON.parse(await shown.textContent({ timeout: 2000 })) });
          }
          const item = await openTool(card, tool.name);
          // Arguments typed as JSON, in the form's JSON mode.
          const json = item.getByRole('button', { name: 'JSON', exact: true });
          if ((await json.getAttribute('aria-pressed', { timeout: 2000 })) !== 'true') await json.click({ timeout: 2000 });
          await field(item, `Arguments for ${tool.name} (JSON)`).fill(args, { timeout: 2000 });
          await item.getByRole('button', { name: `Call ${tool.name}`, exact: true }).click({ timeout: 2000 });
          callPending = true;
        } catch (e) {
          log(`call click did not complete: ${e.message.split('\n')[0]}`);
        }
        backSince = Date.now();
      }
    } else if (s.state === 'connected') {
      if (!noToolSince) noToolSince = Date.now();
      if (Date.now() - noToolSince > 5000) {
        const names = await listedTools(card);
        return finish(1, `connected but no tool "${tool.name}" listed (tools: ${names.join(', ') || 'none'})`, page);
      }
    } else {
      noToolSince = 0;
    }
    await sleep(150);
  }
}

main().catch((e) => finish(1, `driver error: ${e?.stack ?? e}`));

// HTML for the demo authorization server's pages (login, consent, errors).
//
// Plain server-rendered HTML: no scripts, no external resources, every
// interpolated value goes through `esc()`. Forms are ordinary <form method=post>
// with real <button>s, so everything works with a keyboard alone.

/**
 * Escape a value for use in HTML text or a double-quoted attribute.
 * @param {unknown} value
 * @returns {string}
 */
export function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Headers every page gets: no caching, no framing, no scripts. */
export const PAGE_HEADERS = Object.freeze({
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // No form-action directive on purpose: the login/consent forms end in a
  // redirect chain to the client's redirect_uri, which form-action would block.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

/** Short human descriptions for scopes this demo knows about. */
const SCOPE_DESCRIPTIONS = {
  'mcp:basic': 'Use the basic tools and resources of the MCP server',
  'mcp:admin': 'Use the administrative tools of the MCP server',
  offline_access: 'Keep access while you are away (refresh tokens)',
  openid: 'Learn your user identifier',
};

const STYLE = `
  :root { color-scheme: light dark; }
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; }
  main { max-width: 32rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; }
  .client { font-weight: 600; }
  .muted { opacity: .75; font-size: .9rem; }
  .error { border: 2px solid #c00; padding: .5rem .75rem; border-radius: .25rem; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input[type=text] { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; }
  .actions { display: flex; gap: .75rem; margin-top: 1.25rem; flex-wrap: wrap; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: .25rem; border: 1px solid currentColor; cursor: pointer; }
  button.primary { background: #1a56db; border-color: #1a56db; color: #fff; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  code { font-size: .95em; word-break: break-all; }
  ul { padding-left: 1.25rem; }
  dl { margin: 0; } dt { font-weight: 600; margin-top: .75rem; } dd { margin: 0; }
`;

/**
 * @param {string} title
 * @param {string} body already-escaped HTML
 * @returns {string}
 */
function layout(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Keyhole demo authorization server</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="muted">Keyhole demo authorization server. No real accounts exist here.</p>
</main>
</body>
</html>`;
}

/**
 * Login page: asks only for a display name.
 * @param {{ uid: string, clientName: string, error?: string, name?: string }} p
 * @returns {string}
 */
export function loginPage({ uid, clientName, error, name }) {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return layout('Sign in', `
<h1>Sign in</h1>
<p><span class="client">${esc(clientName)}</span> wants to access an MCP server on your behalf.
First, tell us who you are. Any name works; this demo has no passwords.</p>
${error ? `<p class="error" role="alert" id="login-error">${esc(error)}</p>` : ''}
<form method="post" action="${esc(`${action}/login`)}">
  <label for="name">Display name</label>
  <input type="text" id="name" name="name" required maxlength="64" autocomplete="nickname" autofocus
    value="${esc(name ?? '')}"${error ? ' aria-describedby="login-error" aria-invalid="true"' : ''}>
  <div class="actions">
    <button type="submit" class="primary">Continue</button>
  </div>
</form>
<form method="post" action="${esc(`${action}/abort`)}">
  <div class="actions">
    <button type="submit">Cancel</button>
  </div>
</form>`);
}

/**
 * Consent page: client name, requested scopes and resource(s), Approve / Deny.
 * @param {{
 *   uid: string,
 *   clientName: string,
 *   clientId: string,
 *   accountName: string,
 *   resources: string[],
 *   scopes: string[],
 *   redirectOrigin?: string,
 * }} p
 * @returns {string}
 */
export function consentPage({ uid, clientName, clientId, accountName, resources, scopes, redirectOrigin }) {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  const scopeItems = scopes.length
    ? scopes.map((s) => `<li><code>${esc(s)}</code>${SCOPE_DESCRIPTIONS[s] ? ` — ${esc(SCOPE_DESCRIPTIONS[s])}` : ''}</li>`).join('\n')
    : '<li>No specific permissions (scopes) were requested.</li>';
  const resourceItems = resources.length
    ? resources.map((r) => `<li><code>${esc(r)}</code></li>`).join('\n')
    : '<li>No resource was named.</li>';
  return layout('Authorize access', `
<h1>Authorize access</h1>
<p>Signed in as <strong>${esc(accountName)}</strong>.</p>
<p><span class="client">${esc(clientName)}</span> is asking for access.</p>
<dl>
  <dt>Application</dt>
  <dd>${esc(clientName)} <span class="muted">(client id <code>${esc(clientId)}</code>)</span></dd>
  ${redirectOrigin ? `<dt>You will be sent back to</dt><dd><code>${esc(redirectOrigin)}</code></dd>` : ''}
  <dt>Resource (MCP server)</dt>
  <dd><ul>${resourceItems}</ul></dd>
  <dt>Permissions requested</dt>
  <dd><ul>${scopeItems}</ul></dd>
</dl>
<div class="actions">
  <form method="post" action="${esc(`${action}/confirm`)}">
    <button type="submit" class="primary">Approve</button>
  </form>
  <form method="post" action="${esc(`${action}/abort`)}">
    <button type="submit">Deny</button>
  </form>
</div>`);
}

/**
 * Generic error page.
 * @param {{ title?: string, message: string, details?: Record<string, unknown> }} p
 * @returns {string}
 */
export function errorPage({ title = 'Something went wrong', message, details = {} }) {
  const rows = Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd><code>${esc(v)}</code></dd>`)
    .join('\n');
  return layout(title, `
<h1>${esc(title)}</h1>
<p role="alert">${esc(message)}</p>
${rows ? `<dl>${rows}</dl>` : ''}
<p>Return to the application and try again.</p>`);
}

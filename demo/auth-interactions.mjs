// The demo authorization server's login and consent pages (oidc-provider "interactions"): a
// display name is the whole login, consent grants what the prompt says is missing, and with
// auto-approval both happen without a page.

import { parse as parseQuery } from 'node:querystring';

import { consentPage, errorPage, loginPage, PAGE_HEADERS } from './auth-views.mjs';

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/;

/**
 * Koa middleware for /interaction/:uid and its login, confirm and abort form posts.
 * @param {{ provider: any, accounts: Map<string, string>, approveAutomatically: boolean, debug: (...args: unknown[]) => void }} options
 *   `accounts`: display names by account id (the account id is the name typed at login)
 */
export function interactionRoutes({ provider, accounts, approveAutomatically, debug }) {
  /** @param {any} ctx @param {() => Promise<unknown>} next */
  return async (ctx, next) => {
    const match = INTERACTION.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    if ((action && ctx.method !== 'POST') || (!action && ctx.method !== 'GET')) {
      ctx.status = 405;
      return;
    }
    ctx.set(PAGE_HEADERS);

    /** @param {number} status @param {string} message */
    const fail = (status, message) => {
      ctx.status = status;
      ctx.body = errorPage({ title: 'Sign-in request not found', message });
    };

    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      debug('interactionDetails failed', /** @type {Error} */ (err).message);
      return fail(400, 'This sign-in request has expired or is not valid (are cookies enabled?).');
    }
    if (details.uid !== uid) return fail(400, 'This sign-in request does not match your browser session.');

    const { prompt, params } = details;
    const client = await provider.Client.find(String(params.client_id));
    if (!client) return fail(400, 'The application that started this request is not registered.');
    const clientName = client.clientName || client.clientId;

    /** @param {object} result @param {boolean} [merge] */
    const finish = async (result, merge = true) => {
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
      ctx.status = 303;
      ctx.redirect(returnTo);
    };

    /** Grant what the consent prompt says is missing; returns the consent result. */
    const approveConsent = async (accountId) => {
      const { details: missing = {} } = prompt;
      let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
      grant ??= new provider.Grant({ accountId, clientId: client.clientId });
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      if (missing.missingResourceScopes) {
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
          grant.addResourceScope(indicator, /** @type {string[]} */ (scopes).join(' '));
        }
      }
      const grantId = await grant.save();
      return details.grantId ? {} : { grantId };
    };

    try {
      if (approveAutomatically && !action) {
        if (prompt.name === 'login') {
          return await finish({ login: { accountId: 'demo-user' } });
        }
        if (prompt.name === 'consent') {
          return await finish({ consent: await approveConsent(details.session?.accountId ?? 'demo-user') });
        }
        return fail(400, `Unsupported prompt ${prompt.name}.`);
      }

      if (!action) {
        if (prompt.name === 'login') {
          ctx.body = loginPage({ uid, clientName });
          return;
        }
        if (prompt.name === 'consent') {
          const accountId = details.session?.accountId ?? '';
          const redirectUri = toList(params.redirect_uri)[0];
          ctx.body = consentPage({
            uid,
            clientName,
            clientId: client.clientId,
            accountName: accounts.get(accountId) ?? accountId,
            resources: toList(params.resource),
            scopes: String(params.scope ?? '').split(' ').filter(Boolean),
            redirectOrigin: redirectUri ? URL.parse(redirectUri)?.origin : undefined,
          });
          return;
        }
        return fail(400, `Unsupported prompt ${prompt.name}.`);
      }

      // The interaction cookie is SameSite=Lax, and every http://localhost:*
      // page is "same-site" with this server; refuse form posts that the
      // browser says did not come from our own pages.
      const fetchSite = ctx.get('Sec-Fetch-Site');
      if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
        return fail(403, 'This form must be submitted from the sign-in page itself.');
      }
      const form = await readForm(ctx.req);
      if (action === 'abort') {
        return await finish({
          error: 'access_denied',
          error_description: 'End-User denied the authorization request',
        }, false);
      }
      if (action === 'login') {
        if (prompt.name !== 'login') return fail(400, 'This sign-in step is already complete.');
        const name = String(toList(form.name)[0] ?? '').trim().slice(0, 64);
        if (!name) {
          ctx.status = 400;
          ctx.body = loginPage({ uid, clientName, error: 'Please enter a display name.' });
          return;
        }
        accounts.set(name, name);
        return await finish({ login: { accountId: name } });
      }
      // action === 'confirm'
      if (prompt.name !== 'consent') return fail(400, 'There is nothing to approve at this step.');
      return await finish({ consent: await approveConsent(details.session?.accountId) });
    } catch (err) {
      if (/** @type {any} */ (err).status === 413) return fail(413, 'Form too large.');
      console.error('[auth-server] interaction error', err);
      return fail(500, 'The sign-in step failed.');
    }
  };
}

/**
 * Read a small urlencoded form body (interaction pages only; oidc-provider
 * reads its own bodies).
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Record<string, string | string[] | undefined>>}
 */
async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw Object.assign(new Error('form too large'), { status: 413 });
    chunks.push(chunk);
  }
  return parseQuery(Buffer.concat(chunks).toString('utf8'));
}

/** @param {unknown} v @returns {string[]} */
export function toList(v) {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

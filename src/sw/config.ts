/// <reference lib="webworker" />
/**
 * Where this deployment lives, derived from the worker's own registration so the same build
 * works at any origin and base path.
 */
declare const self: ServiceWorkerGlobalScope;

import { CALLBACK_PATH } from '../protocol.ts';
import { isLoopbackHost } from './rules/urls.ts';

/** The app's base URL (the worker's scope), e.g. `https://host/keyhole/`. */
export function appBase(): string {
  return self.registration.scope;
}

/** The app's origin, the one CORS must allow. */
export function appOrigin(): string {
  return new URL(appBase()).origin;
}

/** The one redirect URI this client uses (MCP P7/P8): exact, on the app's own origin. */
export function redirectUri(): string {
  return new URL(CALLBACK_PATH, appBase()).href;
}

/** Our Client ID Metadata Document, when this build publishes one at an https URL (MCP R4). */
export function clientMetadataDocumentUrl(): string | undefined {
  const url = __KEYHOLE_CIMD_URL__;
  return url && url.startsWith('https://') ? url : undefined;
}

/** OIDC `application_type` (MCP R9/R10): `native` for an app served from loopback, `web` otherwise. */
export function applicationType(): 'native' | 'web' {
  return isLoopbackHost(new URL(appBase()).hostname) ? 'native' : 'web';
}

// Node 20 shim for @modelcontextprotocol/conformance: its bundle imports
// `globSync` from 'fs' (Node >= 22). Load with `node --import ./register.mjs`.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

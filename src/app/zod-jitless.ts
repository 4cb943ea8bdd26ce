/**
 * The MCP SDK validates messages with zod, which by default probes for `new Function` to compile
 * fast parsers. Under this page's Trusted Types policy that probe is a (caught) violation, and
 * code generation has no place here anyway: run zod without it. Imported first by main.ts.
 */
import { config } from 'zod/v4/core';

config({ jitless: true });

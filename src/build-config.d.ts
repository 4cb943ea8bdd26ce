/** Set at build time by vite.sw.config.ts / vite.config.ts (see README "Hosting"). */
/** The Client ID Metadata Document URL this deployment publishes, or '' when it has none. */
declare const __KEYHOLE_CIMD_URL__: string;
declare const __KEYHOLE_VERSION__: string;
/** The MCP Apps sandbox proxy's URL (another origin), or '' when Apps are off. */
declare const __KEYHOLE_SANDBOX_URL__: string;

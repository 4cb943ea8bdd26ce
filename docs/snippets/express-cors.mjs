// CORS for an MCP server built with Express (for example the official TypeScript SDK's
// Streamable HTTP server), so that Keyhole, running at `keyholeOrigin`, can use it from the
// browser. Mount it before your MCP routes and your OAuth routes:
//   app.use(keyholeCors(['https://example.github.io']));
import cors from 'cors';

export function keyholeCors(keyholeOrigins) {
  return cors({
    origin: keyholeOrigins,
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    // `*` does not cover Authorization: list every header the browser sends.
    allowedHeaders: [
      'Authorization',
      'DPoP',
      'Content-Type',
      'Accept',
      'MCP-Protocol-Version',
      'Mcp-Session-Id',
      'Mcp-Method',
      'Mcp-Name',
      'Last-Event-ID',
    ],
    // Without these the browser hides them from Keyhole: the challenge, the session, the DPoP nonce.
    exposedHeaders: ['WWW-Authenticate', 'Mcp-Session-Id', 'MCP-Protocol-Version', 'DPoP-Nonce'],
    maxAge: 600,
  });
}

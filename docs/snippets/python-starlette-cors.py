# CORS for an MCP server built with the official Python SDK (FastMCP), so that Keyhole, served
# from https://keyhole.example, can use it from the browser. Run: uvicorn server:app --port 3000
from mcp.server.fastmcp import FastMCP
from starlette.middleware.cors import CORSMiddleware

mcp = FastMCP("example", stateless_http=True)  # add your token_verifier and auth settings here

app = CORSMiddleware(
    mcp.streamable_http_app(),  # the MCP endpoint (/mcp) and, with auth, the metadata routes
    allow_origins=["https://keyhole.example"],
    allow_methods=["GET", "POST", "DELETE"],
    # Starlette refuses a preflight (400) that asks for any header not listed here.
    allow_headers=["Authorization", "DPoP", "Content-Type", "Accept", "MCP-Protocol-Version",
                   "Mcp-Session-Id", "Mcp-Method", "Mcp-Name", "Last-Event-ID"],
    expose_headers=["WWW-Authenticate", "Mcp-Session-Id", "MCP-Protocol-Version", "DPoP-Nonce"],
    max_age=600,
)

/**
 * What the person allowed an app to do, remembered for the MCP session: the first call of each
 * tool an app makes is asked about; later calls of that tool on the same session are not. A new
 * session (reconnect, reload) asks again.
 */
const allowed = new WeakMap<object, Set<string>>();

export function isAllowed(session: object, tool: string): boolean {
  return allowed.get(session)?.has(tool) ?? false;
}

export function allow(session: object, tool: string): void {
  let tools = allowed.get(session);
  if (!tools) allowed.set(session, (tools = new Set()));
  tools.add(tool);
}

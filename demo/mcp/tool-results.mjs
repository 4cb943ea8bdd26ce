// Tool results the demo tools share.

/** @param {string} text */
export function textResult(text) {
  return { content: [{ type: /** @type {const} */ ('text'), text }] };
}

/** @param {string} text */
export function errorResult(text) {
  return { isError: true, content: [{ type: /** @type {const} */ ('text'), text }] };
}

/**
 * A response whose body the page has already read, as the SDK's transport gets it. Its `json()`
 * and `text()` answer from the bytes read, decoded as Fetch decodes a body (UTF-8, a BOM dropped:
 * Fetch §5 "consume body"), so a JSON-RPC answer is not read a second time through a Response
 * body: reading once and decoding cost a call 2-4% less than `res.text()` (bench/ab.mjs, fetch
 * events; npm run bench now reads every row's answers so). The SDK reads an answer with `json()`,
 * or `text()` for anything else.
 */
import { joinChunks } from '../sw/rules/bounded-read.ts';

const decoder = new TextDecoder();

export function answeringFrom(response: Response, bytes: readonly Uint8Array[]): Response {
  let text: string | undefined;
  const decoded = () => (text ??= bytes.length === 1 ? decoder.decode(bytes[0]) : decoder.decode(joinChunks(bytes)));
  return Object.assign(response, {
    text: () => Promise.resolve().then(decoded),
    json: () => Promise.resolve().then(() => JSON.parse(decoded()) as unknown),
  });
}

// Values the demo offers for argument completion (MCP 2025-11-25 "Completion",
// `completion/complete`). The SDK calls these through `completable()` prompt arguments and
// `ResourceTemplate` `complete` callbacks, and answers with at most 100 values.

/** Target languages of the `translate` prompt. */
export const LANGUAGES = [
  'English', 'French', 'German', 'Spanish', 'Italian', 'Portuguese', 'Dutch', 'Danish',
  'Swedish', 'Finnish', 'Polish', 'Greek', 'Japanese', 'Korean', 'Chinese',
];

/** Names for the `greet` prompt and demo://greeting/{name}. */
export const NAMES = [
  'Ada', 'Alan', 'Alonzo', 'Barbara', 'Grace', 'Edsger', 'Donald', 'Margaret',
  'Katherine', 'Dennis', 'Frances', 'Radia', 'John', 'Leslie', 'Tim',
];

/** Colours for demo://swatch/{rgb}, as six lower-case hex digits. */
export const SWATCH_COLOURS = [
  '2563eb', '1d4ed8', 'dc2626', 'b91c1c', '16a34a', 'f59e0b', '7c3aed', '0891b2',
  'db2777', '000000', '808080', 'ffffff',
];

/**
 * The values that start with what was typed, ignoring case, in list order.
 * @param {readonly string[]} values
 * @param {string} typed
 */
export function startingWith(values, typed) {
  const prefix = typed.toLowerCase();
  return values.filter((v) => v.toLowerCase().startsWith(prefix));
}

/** @param {string} typed */
export const completeLanguage = (typed) => startingWith(LANGUAGES, typed);

/** @param {string} typed */
export const completeName = (typed) => startingWith(NAMES, typed);

/**
 * Hex colours for a swatch: the palette's that start with what was typed; if none does and
 * it is a partial hex colour, that colour padded with zeros (so "ab" offers "ab0000").
 * @param {string} typed
 */
export function completeRgb(typed) {
  const matches = startingWith(SWATCH_COLOURS, typed);
  if (matches.length > 0 || !/^[0-9a-f]{1,5}$/i.test(typed)) return matches;
  return [typed.toLowerCase().padEnd(6, '0')];
}

// The driver interface each engine implements; the suite's steps use nothing else.
export {};

/**
 * What the steps can do in one document: the tab's, or a frame's inside it.
 * @typedef {object} Scope
 * @property {() => Promise<string>} url the document's URL
 * @property {(fn: Function, ...args: unknown[]) => Promise<any>} run evaluates a self-contained
 *   function in the document (its source is sent, not its closure) and awaits its promise
 * @property {(fn: Function, ...args: unknown[]) => Promise<void>} clickFound clicks, as the person's
 *   pointer would, the element a self-contained function returns
 */

/**
 * The path to a frame: for each level, the deep selector steps (page.mjs) of the `<iframe>` element
 * in the document of the level before, starting at the tab's. Resolved afresh on every call, so a
 * frame that reloads or is replaced is found again.
 * @typedef {string[][]} FramePath
 */

/**
 * @typedef {object} Driver
 * @property {'chromium' | 'firefox' | 'webkit'} engine
 * @property {string} version the browser's own word for its version
 * @property {(url: string) => Promise<void>} goto navigates the tab and waits for the load
 * @property {() => Promise<void>} reload
 * @property {() => Promise<string>} url the tab's committed URL
 * @property {(fn: Function, ...args: unknown[]) => Promise<any>} run evaluates a self-contained
 *   function in the page (its source is sent, not its closure) and awaits its promise
 * @property {(fn: Function, ...args: unknown[]) => Promise<void>} clickFound clicks, as the person's
 *   pointer would, the element a self-contained page function returns
 * @property {(path: FramePath) => Scope} frame the document of a (nested, cross-origin) frame:
 *   puppeteer's Frame objects, WebDriver's switch to frame
 * @property {(path: string) => Promise<void>} screenshot a PNG of the tab, for a failed step
 * @property {() => Promise<void>} close ends the browser and its profile
 */

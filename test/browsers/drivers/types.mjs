// The driver interface each engine implements; the suite's steps use nothing else.
export {};

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
 * @property {(path: string) => Promise<void>} screenshot a PNG of the tab, for a failed step
 * @property {() => Promise<void>} close ends the browser and its profile
 */

// Entry point of the npm package: `intercomDestination(settings)` -> analytics.js plugins.
import { makeFactory } from './factory.js';
import { start, WASM_FILE } from './start.js';

/** The script this module was bundled into, for bundles without `import.meta.url`. */
const scriptUrl = typeof document !== 'undefined' ? document.currentScript?.src : undefined;

const intercomDestination = makeFactory(() => start(defaultWasmUrl()));

/** Where the .wasm is: next to this module, else next to the loading script; else undefined. */
function defaultWasmUrl() {
  // The literal form that webpack, Vite and Turbopack turn into an asset URL.
  try {
    return new URL('./intercom_web_destination_bg.wasm', import.meta.url);
  } catch {
    // import.meta.url is empty (a CommonJS or IIFE bundle): next to the loading script
    return scriptUrl ? new URL(WASM_FILE, scriptUrl) : undefined;
  }
}

export default intercomDestination;
export { intercomDestination };

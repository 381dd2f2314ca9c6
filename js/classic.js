// Entry point of the classic-script build, pkg/classic/intercom-destination.js: for a plain
// <script src> tag, or for analytics-next's remote plugins ({url, libraryName: LIBRARY_NAME}).
// It sets `window.intercomDestination`, the same factory as the npm package's default export.
//
// scripts/build.sh bundles this module with wasm-bindgen's glue (pkg/) into one function-scoped
// script (esbuild, IIFE), so nothing but window[LIBRARY_NAME] becomes global.

import { start } from './start.js';
import { makePlugins, settingsTape } from './boundary.js';

/** The global name of the factory (`libraryName` of a remote plugin). */
const LIBRARY_NAME = 'intercomDestination';
const WASM_FILE = 'intercom_web_destination_bg.wasm';

// The .wasm file lives next to this script. document.currentScript is set only while a classic
// script first runs, so take the URL now rather than when the factory is called.
const ownUrl = document.currentScript && document.currentScript.src;
const wasmUrl = ownUrl ? new URL(WASM_FILE, ownUrl) : null;

let wasmReady;

/**
 * Builds the "Intercom Web (Actions)" destination plugins for analytics.js.
 * Never rejects for bad settings (the plugins' `load` rejects with the message instead); it
 * rejects only when the WebAssembly module cannot be loaded, and then tries again next call.
 */
async function intercomDestination(settings) {
  if (!wasmUrl) {
    throw new Error(`Intercom Web (Actions): cannot locate ${WASM_FILE}; load this file with a <script src> tag`);
  }
  wasmReady ??= start(wasmUrl).catch((err) => {
    wasmReady = undefined;
    throw err;
  });
  // Read now, while the module is fetched.
  const settingsBytes = settingsTape(settings ?? {});
  return makePlugins(settings ?? {}, await wasmReady, settingsBytes);
}

// analytics-next matches a factory passed in `plugins` to a remote plugin by this name.
intercomDestination.pluginName = 'Intercom Web (Actions)';

window[LIBRARY_NAME] = intercomDestination;

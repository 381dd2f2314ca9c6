// Entry point of the npm package: `intercomDestination(settings)` -> analytics.js plugins.
// Initialises the WebAssembly module on first use; every later call reuses it.
import { start } from './start.js';
import { makePlugins, settingsTape } from './boundary.js';

let wasmReady;
let wasm;

/**
 * Builds the "Intercom Web (Actions)" destination plugins for analytics.js.
 * Usage: `analytics.register(...await intercomDestination({ appId: 'abc12345' }))`.
 * Never rejects for bad settings: the plugins' `load` rejects with the message instead.
 */
export default async function intercomDestination(settings) {
  // A failed fetch or compile is not cached: the next call tries again.
  wasmReady ??= start(new URL('./intercom_web_destination_bg.wasm', import.meta.url)).catch((err) => {
    wasmReady = undefined;
    throw err;
  });
  // Read now, while the module is fetched.
  const settingsBytes = settingsTape(settings ?? {});
  wasm = await wasmReady;
  return makePlugins(settings ?? {}, wasm, settingsBytes);
}

/** Size of the WebAssembly linear memory in bytes (0 before the first factory call). */
intercomDestination.wasmMemoryBytes = () => (wasm ? wasm.memory.buffer.byteLength : 0);

// analytics-next matches a factory passed in `plugins` to a remote plugin by this name.
intercomDestination.pluginName = 'Intercom Web (Actions)';

export { intercomDestination };

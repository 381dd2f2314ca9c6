// The factory every entry point exports (js/index.js, js/inline.js, js/classic.js): settings ->
// analytics.js plugins. It starts the WebAssembly module on first use; every later call reuses it.
import { start } from './start.js';
import { makePlugins, settingsTape } from './boundary.js';

const NAME = 'Intercom Web (Actions)';

/**
 * The factory, fetching the .wasm from `intercomDestination.wasmUrl` when it is set, else
 * starting it the entry point's way: `startDefault()` (fetched from where the entry point
 * found it, or from the bytes it carries).
 */
export function makeFactory(startDefault) {
  let wasmReady;
  let wasm;

  /**
   * Builds the "Intercom Web (Actions)" destination plugin for analytics.js, in an array. Never
   * rejects: invalid settings, or a .wasm that cannot be loaded, give an error on the console
   * and no plugin (the next call tries the .wasm again), so the page and every other
   * destination go on.
   */
  async function intercomDestination(settings) {
    // Read now, while the module is fetched.
    const settingsBytes = settingsTape(settings ?? {});
    try {
      wasmReady ??= startFrom(intercomDestination.wasmUrl, startDefault);
      wasm = await wasmReady;
    } catch (e) {
      wasmReady = undefined;
      console.error(e instanceof Error ? e.message : String(e));
      return [];
    }
    return makePlugins(settings ?? {}, wasm, settingsBytes);
  }

  /** Where the .wasm is fetched from; set before the first call (self-hosting, CDNs, Rollup). */
  intercomDestination.wasmUrl = undefined;

  /** Size of the WebAssembly linear memory in bytes (0 before the first factory call). */
  intercomDestination.wasmMemoryBytes = () => (wasm ? wasm.memory.buffer.byteLength : 0);

  // analytics-next matches a factory passed in `plugins` to a remote plugin by this name.
  intercomDestination.pluginName = NAME;
  return intercomDestination;
}

/** The module from the URL set, else the entry point's way. */
function startFrom(set, startDefault) {
  if (set === undefined || set === null || String(set) === '') return startDefault();
  return start(new URL(String(set), document.baseURI));
}

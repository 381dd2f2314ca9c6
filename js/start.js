// Fetches, compiles and starts the WebAssembly module, as wasm-bindgen's loader does but
// without its other ways in (the bundle carries only this and the import object,
// wasm-imports.js, which scripts/build.sh makes from wasm-bindgen's glue).
import { imports, attach } from './wasm-imports.js';

/** The module's exports, started. Rejects when the file cannot be fetched or compiled. */
export async function start(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Intercom Web (Actions): fetching ${url} failed: ${response.status}`);
  let result;
  try {
    result = await WebAssembly.instantiateStreaming(response.clone(), imports());
  } catch {
    // served without the application/wasm type (or not compilable: then this throws again)
    result = await WebAssembly.instantiate(await response.arrayBuffer(), imports());
  }
  const wasm = result.instance.exports;
  attach(wasm);
  // Only a module built with reference types has wasm-bindgen's start (its JS-value table).
  wasm.__wbindgen_start?.();
  return wasm;
}

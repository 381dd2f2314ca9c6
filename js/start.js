// Fetches (or takes), compiles and starts the WebAssembly module, as wasm-bindgen's loader does
// but without its other ways in (the bundle carries only this and the import object,
// wasm-imports.js, which scripts/build.sh makes from wasm-bindgen's glue; esbuild drops the
// glue's loaders and export wrappers).
import { imports, attach } from './wasm-imports.js';

export const WASM_FILE = 'intercom_web_destination_bg.wasm';
const NAME = 'Intercom Web (Actions)';
const FIX = `serve ${WASM_FILE} next to the package's index.js, or set intercomDestination.wasmUrl to where it is (or import intercom-web-destination/inline, which carries it)`;
/** The first bytes of every WebAssembly module: "\0asm". */
const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * The module's exports, started. Rejects with a message that names the URL, what was wrong
 * (no URL, a network error, an HTTP error, a page that is not WebAssembly, a damaged file) and
 * the fix.
 */
export async function start(url) {
  if (!url) {
    throw new Error(`${NAME}: cannot tell where ${WASM_FILE} is (this bundle has no import.meta.url): set intercomDestination.wasmUrl to its URL before the first call, or import intercom-web-destination/inline`);
  }
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`${NAME}: ${url} could not be fetched (${describe(e)}): ${FIX}`);
  }
  if (!response.ok) throw new Error(`${NAME}: ${url} answered ${response.status}: ${FIX}`);
  const type = response.headers.get('content-type') || 'no content type';
  if (type.split(';')[0].trim() === 'application/wasm') {
    try {
      return started(await WebAssembly.instantiateStreaming(response.clone(), imports()));
    } catch {
      // read the bytes below, to say what is wrong with them
    }
  }
  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    throw new Error(`${NAME}: ${url} could not be read (${describe(e)}): ${FIX}`);
  }
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    throw new Error(`${NAME}: ${url} is not a WebAssembly module (got ${type}): ${FIX}`);
  }
  return startBytes(bytes, url);
}

/** The module's exports, started from its bytes (the inline entry's, or fetched ones). */
export async function startBytes(bytes, source = 'the inlined module') {
  let result;
  try {
    result = await WebAssembly.instantiate(bytes, imports());
  } catch (e) {
    throw new Error(`${NAME}: ${source} is a damaged or truncated WebAssembly module, or one of another version of this package (${describe(e)}): ${FIX}`);
  }
  return started(result);
}

function started(result) {
  const wasm = result.instance.exports;
  attach(wasm);
  // Only a module built with reference types has wasm-bindgen's start (its JS-value table).
  wasm.__wbindgen_start?.();
  return wasm;
}

function describe(e) {
  return e instanceof Error ? e.message : String(e);
}

// Entry point `intercom-web-destination/inline`: the same factory as the package's default
// export, with the .wasm carried inside the module, for bundlers and setups that do not copy
// the .wasm as an asset (Rollup, esbuild, CommonJS and IIFE bundles, a CDN that serves only
// JavaScript). The module is deflated, then base64 text: as small on the wire as the .wasm
// itself (base64 of the raw bytes would add about 9 KB gzip). It is unpacked with the
// browser's DecompressionStream and compiled by WebAssembly.instantiate, on the first call.
import { makeFactory } from './factory.js';
import { startBytes } from './start.js';
// Written by scripts/build.sh: `export default "<base64 of the deflated release .wasm>"`.
import deflatedBase64 from './inline-wasm.js';

const NAME = 'Intercom Web (Actions)';

const intercomDestination = makeFactory(async () => startBytes(await inflate(deflatedBase64)));

/** The module's bytes from the base64 text of its zlib (deflate) stream. */
async function inflate(text) {
  if (typeof DecompressionStream !== 'function') {
    throw new Error(`${NAME}: this browser has no DecompressionStream to unpack the inlined module: import intercom-web-destination (the .wasm beside it) instead of intercom-web-destination/inline`);
  }
  const stream = new Blob([base64Bytes(text)]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The bytes of base64 text: the engine's decoder where it has one, else atob. */
function base64Bytes(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export default intercomDestination;
export { intercomDestination };

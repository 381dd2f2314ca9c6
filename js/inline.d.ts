// Types of `intercom-web-destination/inline`: the same factory as the package's default export
// (its .wasm inside the module).
export * from './index.js';
export { default } from './index.js';

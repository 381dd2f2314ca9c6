// Entry point of the classic-script build, pkg/classic/intercom-destination.js: for a plain
// <script src> tag, or for analytics-next's remote plugins ({url, libraryName: LIBRARY_NAME}).
// It sets `window.intercomDestination`, the same factory as the npm package's default export.
//
// scripts/build.sh bundles this module with wasm-bindgen's glue (pkg/) into one function-scoped
// script (esbuild, IIFE), so nothing but window[LIBRARY_NAME] becomes global.
import { makeFactory } from './factory.js';
import { start, WASM_FILE } from './start.js';

/** The global name of the factory (`libraryName` of a remote plugin). */
const LIBRARY_NAME = 'intercomDestination';

// The .wasm file lives next to this script. document.currentScript is set only while a classic
// script first runs, so take the URL now rather than when the factory is called.
const ownUrl = document.currentScript && document.currentScript.src;

window[LIBRARY_NAME] = makeFactory(() => start(ownUrl ? new URL(WASM_FILE, ownUrl) : undefined));

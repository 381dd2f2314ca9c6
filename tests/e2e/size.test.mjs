// Size budget of the release package (deterministic: bytes, not time). What a page downloads
// for the plugin: the entry point (with the wasm-bindgen glue bundled in) and the .wasm, compressed with gzip -9.
// The budget guards against regressions. It is above the product target (32 KB gzip, see
// bench/run.mjs and the README), which the nightly build meets, so that the stable-toolchain
// fallback of scripts/build.sh (40 KB: std not rebuilt for size) passes too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUDGET_GZIP_BYTES = 36 * 1024; // the guard of issue "Readable core": 36,864 bytes
const FILES = ['index.js', 'intercom_web_destination_bg.wasm'];

test(`release pkg/ downloads at most ${BUDGET_GZIP_BYTES / 1024} KB gzip`, () => {
  let raw = 0;
  let gzip = 0;
  for (const f of FILES) {
    const buf = fs.readFileSync(path.join(ROOT, 'pkg', f));
    raw += buf.length;
    gzip += zlib.gzipSync(buf, { level: 9 }).length;
  }
  console.log(`# pkg/ download: ${raw} bytes raw, ${gzip} bytes gzip -9`);
  assert.ok(gzip <= BUDGET_GZIP_BYTES, `${gzip} bytes gzip > budget ${BUDGET_GZIP_BYTES}`);
  // A debug build is several times larger: make sure the budget is checked on a release build.
  assert.ok(raw < 400 * 1024, `pkg/ is not a release build (${raw} bytes)`);
});

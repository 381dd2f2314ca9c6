// Size budget of the release package (deterministic: bytes, not time). What a page downloads
// for the plugin: the entry point (with the wasm-bindgen glue bundled in) and the .wasm, compressed with gzip -9.
// The budget guards against regressions (on the default entry only; the inline entry,
// pkg/inline.js with the .wasm inside, is measured and printed next to it). It is above the product target (32 KB gzip, see
// bench/run.mjs and the README), which the nightly build meets, so that the stable-toolchain
// fallback of scripts/build.sh (40 KB: std not rebuilt for size) passes too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Issue "Drop-in for Segment" raised it from 36 KB (the guard of issue "Readable core", which
// the benchmark still prints): reading every trigger and mapping as Segment's runtime does (its
// FQL lexer and parser, the mapping kit's validation and directives, JavaScript's reads of
// values) took about 19 KB gzip; with the typed errors, the JSON writer and the byte-shaped code
// undone, the nightly build is about 57.1 KB. This budget guards against regressions from there.
export const BUDGET_GZIP_BYTES = 58 * 1024;
const FILES = ['index.js', 'intercom_web_destination_bg.wasm'];
const INLINE_FILES = ['inline.js'];

/** Raw and gzip -9 bytes of `files` in pkg/, added up. */
function measure(files) {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const buf = fs.readFileSync(path.join(ROOT, 'pkg', f));
    raw += buf.length;
    gzip += zlib.gzipSync(buf, { level: 9 }).length;
  }
  return { raw, gzip };
}

test(`release pkg/ downloads at most ${BUDGET_GZIP_BYTES / 1024} KB gzip`, () => {
  const { raw, gzip } = measure(FILES);
  const inline = measure(INLINE_FILES);
  console.log(`pkg/ download, default entry (index.js + .wasm): ${raw} bytes raw, ${gzip} bytes gzip -9`);
  console.log(`pkg/ download, inline entry (inline.js): ${inline.raw} bytes raw, ${inline.gzip} bytes gzip -9 (${inline.gzip - gzip >= 0 ? '+' : ''}${inline.gzip - gzip})`);
  assert.ok(gzip <= BUDGET_GZIP_BYTES, `${gzip} bytes gzip > budget ${BUDGET_GZIP_BYTES}`);
  // A debug build is several times larger: make sure the budget is checked on a release build.
  assert.ok(raw < 400 * 1024, `pkg/ is not a release build (${raw} bytes)`);
});

#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, wasm-opt from npm binaryen), then
# esbuild bundles each hand-written entry point (with js/factory.js, js/start.js, js/boundary.js
# and the import object of wasm-bindgen's glue) into one file:
#   pkg/index.js     the default entry (ES module); fetches intercom_web_destination_bg.wasm
#                    from next to itself
#   pkg/inline.js    `intercom-web-destination/inline`: the same, with the .wasm inside as base64
#   pkg/classic/intercom-destination.js  the classic script (sets window.intercomDestination,
#                    for a <script src> tag or an analytics-next remote plugin {url,
#                    libraryName: "intercomDestination"}), with its .wasm beside it
# plus the types, package.json (scripts/package-json.mjs) and the package's README.md.
# Needs the node packages (scripts/setup.sh). Usage: scripts/build.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source "${TOOLS_DIR:-$HOME/.local/share/wasm-tools}/env.sh"
profile=--release
[ "${1:-}" = --dev ] && profile=--dev
name=intercom_web_destination
# wasm-pack's output (the .wasm, wasm-bindgen's glue and the js/boundary.js snippet) is staged,
# then bundled with the entry points into one file each, so a page fetches one script and the
# .wasm: pkg/index.js (ES module, the npm entry) and pkg/classic/intercom-destination.js.
stage="${CARGO_TARGET_DIR:-target}/wasm-pack-out"
rm -rf "$stage"
# Release: with the machine's nightly (scripts/setup.sh), std is rebuilt for size, with panics
# that abort at once (no panic messages or formatting: about 10% smaller), and the
# allocator is built for speed (`--cfg intercom_speed` turns on its `optimize(speed)`; the rest
# of this crate is built for size, see Cargo.toml). Without
# nightly: stable, everything for size ("z"): smaller, and slower per event.
# The wasm features are the MVP's plus bulk memory, sign extension and float-to-int without
# traps: without reference types the module needs no JS-value table (the shell passes numbers
# only) and without multi-value it is a little smaller.
nightly_flags="--cfg intercom_speed -Cpanic=immediate-abort -Zunstable-options -Zfmt-debug=none -Zlocation-detail=none -Ctarget-cpu=mvp -Ctarget-feature=+bulk-memory,+nontrapping-fptoint,+sign-ext,+mutable-globals"
nightly_ok() {
  rustup run nightly rustc --version >/dev/null 2>&1 &&
    rustup component list --installed --toolchain nightly 2>/dev/null | grep -qx rust-src &&
    rustup target list --installed --toolchain nightly 2>/dev/null | grep -qx wasm32-unknown-unknown
}
if [ "$profile" = --release ] && [ "${NIGHTLY:-1}" = 1 ] && nightly_ok; then
  RUSTUP_TOOLCHAIN=nightly RUSTFLAGS="$nightly_flags" \
    wasm-pack build --quiet --target web "$profile" --out-dir "$stage" --out-name "$name" --no-pack \
    -- -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
else
  [ "$profile" = --release ] && echo "build.sh: no usable nightly toolchain: building with stable (larger .wasm)" >&2
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
    wasm-pack build --quiet --target web "$profile" --out-dir "$stage" --out-name "$name" --no-pack
fi
# The entry points import js/boundary.js as wasm-bindgen staged it (one copy in the bundle).
snippet=$(cd "$stage" && echo snippets/*/js/boundary.js)
[ -f "$stage/$snippet" ] || { echo "build.sh: no staged js/boundary.js" >&2; exit 1; }
cp js/index.js "$stage/index-entry.js"
cp js/classic.js "$stage/classic-entry.js"
cp js/inline.js "$stage/inline-entry.js"
sed "s|'./boundary.js'|'./$snippet'|" js/factory.js > "$stage/factory.js"
grep -q "'./$snippet'" "$stage/factory.js"
cp js/start.js "$stage/start.js"
# The functions in the order that gzips best (the release .wasm keeps its names until here).
# ORDER=0 leaves the compiler's order: a size comparison of two code changes is then not
# blurred by the order each happens to get (+-100 bytes).
if [ "$profile" = --release ] && [ "${ORDER:-1}" = 1 ]; then
  node scripts/order-functions.mjs "$stage/${name}_bg.wasm"
fi
# Short import and export names in the .wasm and, to match, in the staged JS; and
# wasm-imports.js, wasm-bindgen's glue for js/start.js (the bundles keep only its import object
# and the string and byte passing that uses). js/boundary.js (staged as a snippet) drives the exports by name too.
node scripts/minify-names.mjs "$stage/${name}_bg.wasm" "$stage/$name.js" "$stage/index-entry.js" "$stage/classic-entry.js" "$stage/inline-entry.js" "$stage/factory.js" "$stage/start.js" "$stage/$snippet"
minify=(--minify)
[ "$profile" = --dev ] || [ "${MINIFY:-1}" = 0 ] && minify=()
esbuild() { node_modules/.bin/esbuild --bundle --log-level=warning --legal-comments=none ${minify[@]+"${minify[@]}"} "$@"; }
# Then terser over esbuild's minified bundle (3-4% smaller gzip: it folds more); only its safe
# transforms (no `unsafe` or `pure_getters`: the shell reads outside objects for their getters).
terser() {
  [ ${#minify[@]} = 0 ] && return
  local file=$1; shift
  node_modules/.bin/terser "$file" --compress passes=2,hoist_funs=true --mangle "$@" --output "$file"
}
# Chromium's explicit compile hint (the magic comment, first in the file): V8 compiles every
# function of the bundle when it parses the script, which is off the main thread for a
# fetched script. Without it, the first factory call and `load` compile each function on the
# main thread when it first runs (measured: about 1.5-2 ms of the start-up). Other engines
# ignore the comment.
compile_hint() {
  local file=$1
  { printf '//# allFunctionsCalledOnLoad\n'; cat "$file"; } > "$file.tmp" && mv "$file.tmp" "$file"
}

rm -rf pkg
mkdir -p pkg/classic
esbuild "$stage/index-entry.js" --format=esm --outfile=pkg/index.js
terser pkg/index.js --module
compile_hint pkg/index.js
# The inline entry: the same modules, and the final .wasm deflated (zlib) as base64 text,
# which js/inline.js unpacks on the first factory call.
node -e 'const fs = require("fs"), zlib = require("zlib");
  const text = zlib.deflateSync(fs.readFileSync(process.argv[1]), { level: 9 }).toString("base64");
  fs.writeFileSync(process.argv[2], `export default "${text}";\n`);' "$stage/${name}_bg.wasm" "$stage/inline-wasm.js"
esbuild "$stage/inline-entry.js" --format=esm --outfile=pkg/inline.js
terser pkg/inline.js --module
compile_hint pkg/inline.js
cp js/index.d.ts js/inline.d.ts "$stage/${name}_bg.wasm" pkg/
node scripts/package-json.mjs

# Classic script: sets window.intercomDestination, for a <script src> tag or an analytics-next
# remote plugin ({url, libraryName: "intercomDestination"}); it loads the .wasm next to it.
# Function-scoped: nothing else leaks.
esbuild "$stage/classic-entry.js" --format=iife \
  --log-override:empty-import-meta=silent --banner:js='/* intercom-web-destination, classic-script build: sets window.intercomDestination. */' \
  --outfile=pkg/classic/intercom-destination.js
terser pkg/classic/intercom-destination.js --comments /classic-script/
compile_hint pkg/classic/intercom-destination.js
cp "$stage/${name}_bg.wasm" pkg/classic/

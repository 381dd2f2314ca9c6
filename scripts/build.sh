#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, wasm-opt from npm binaryen) plus the
# hand-written entry point js/index.js and its types. Usage: scripts/build.sh [--dev]
#
# Also builds the classic-script variant into pkg/classic/ (not part of the npm package):
# intercom-destination.js sets window.intercomDestination, for a <script src> tag or an
# analytics-next remote plugin ({url, libraryName: "intercomDestination"}); it loads the
# intercom_web_destination_bg.wasm next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source "${TOOLS_DIR:-$HOME/.local/share/wasm-tools}/env.sh"
profile=--release
[ "${1:-}" = --dev ] && profile=--dev
wasm-pack build --quiet --target web "$profile" --out-dir pkg --out-name intercom_web_destination --no-pack
cp js/index.js js/index.d.ts pkg/
node scripts/package-json.mjs

# Classic script: wasm-bindgen's "no-modules" glue + js/classic.js in one function scope.
# wasm-bindgen emits the same module for every target, so the glue is generated from the cargo
# artifact and pkg/'s already optimised .wasm is reused (no second wasm-opt run). That holds
# only if our wasm-bindgen flags equal wasm-pack's: checked by regenerating the web glue, which
# must match pkg/ byte for byte; otherwise fall back to a full no-modules wasm-pack build.
name=intercom_web_destination
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ "$profile" = --release ]; then
  artifact="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/$name.wasm"
  bindgen_flags=()
else
  artifact="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/debug/$name.wasm"
  bindgen_flags=(--debug) # as wasm-pack passes for --dev
fi
bindgen() { # $1 = target
  wasm-bindgen "$artifact" --out-dir "$tmp/$1" --out-name "$name" --typescript --target "$1" ${bindgen_flags[@]+"${bindgen_flags[@]}"}
}
if [ -f "$artifact" ] && bindgen web && bindgen no-modules && cmp -s "$tmp/web/$name.js" "pkg/$name.js"; then
  cp "pkg/${name}_bg.wasm" "$tmp/no-modules/${name}_bg.wasm"
else
  echo "build.sh: wasm-bindgen glue differs from wasm-pack's; building the classic script with wasm-pack" >&2
  rm -rf "$tmp/no-modules"
  wasm-pack build --quiet --target no-modules "$profile" --out-dir "$tmp/no-modules" --out-name "$name" --no-pack
fi
rm -rf pkg/classic
mkdir -p pkg/classic
{
  echo '/* intercom-web-destination, classic-script build: sets window.intercomDestination. */'
  echo '(function () {'
  echo '"use strict";'
  cat "$tmp/no-modules/$name.js"
  cat js/classic.js
  echo '})();'
} > pkg/classic/intercom-destination.js
cp "$tmp/no-modules/${name}_bg.wasm" pkg/classic/

#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, wasm-opt from npm binaryen) plus the
# hand-written entry point js/index.js and its types. Usage: scripts/build.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source "${TOOLS_DIR:-$HOME/.local/share/wasm-tools}/env.sh"
profile=--release
[ "${1:-}" = --dev ] && profile=--dev
wasm-pack build --quiet --target web "$profile" --out-dir pkg --out-name intercom_web_destination --no-pack
cp js/index.js js/index.d.ts pkg/
node scripts/package-json.mjs

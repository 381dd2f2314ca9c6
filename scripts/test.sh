#!/usr/bin/env bash
# Runs every test, after installing what they need (idempotent):
#   0. cargo fmt --check and cargo clippy (native and wasm32), warnings as errors
#   1. native core tests (cargo test)
#   2. browser tests of the wasm shell in headless Chromium (wasm-pack test)
#   3. the release package built into pkg/, exercised in headless Chromium: the demo page
#      (scripts/demo-test.mjs) and tests/e2e/*.test.mjs (node --test, playwright-core)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
source "${TOOLS_DIR:-$HOME/.local/share/wasm-tools}/env.sh"

echo "== format and lints (cargo fmt --check; cargo clippy, native and wasm32)"
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --all-targets -- -D warnings

echo "== native tests (cargo test)"
cargo test --locked

echo "== browser tests (wasm-pack test --headless --chrome)"
wasm-pack test --headless --chrome -- --locked --test web --test web_hostile

echo "== release package (pkg/) in headless Chromium"
bash scripts/build.sh
node scripts/demo-test.mjs
node --test tests/e2e/*.test.mjs

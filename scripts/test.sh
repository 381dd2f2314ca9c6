#!/usr/bin/env bash
# Runs every test, after installing what they need (idempotent):
#   0. cargo fmt --check and cargo clippy (native and wasm32), warnings as errors
#   1. native core tests (cargo test)
#   2. browser tests of the wasm shell (wasm-bindgen-test) in three engines: headless Chromium
#      and Firefox (wasm-pack test), WebKitGTK's MiniBrowser (WebKitWebDriver, under xvfb-run)
#   3. the release package built into pkg/, exercised in headless Chromium: the demo page
#      (scripts/demo-test.mjs) and tests/e2e/*.test.mjs (node --test, playwright-core): among
#      them the npm tarball in each bundler (bundlers.test.mjs) and the core flows in Chromium,
#      Firefox and WebKit (engines.test.mjs)
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

echo "== browser tests in Chromium (wasm-pack test --headless --chrome)"
wasm-pack test --headless --chrome -- --locked --test web --test web_hostile

echo "== browser tests in Firefox (wasm-pack test --headless --firefox)"
wasm-pack test --headless --firefox -- --locked --test web --test web_hostile

# wasm-pack has no WebKit on Linux: wasm-bindgen's test runner drives WebKitGTK's MiniBrowser
# through WebKitWebDriver (its "Safari" driver; the driver starts MiniBrowser by default), on a
# virtual display. The same test binaries as above: nothing is rebuilt.
echo "== browser tests in WebKit (wasm-bindgen-test-runner, WebKitWebDriver + MiniBrowser under xvfb-run)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner SAFARIDRIVER=/usr/bin/WebKitWebDriver \
  xvfb-run -a cargo test --locked --target wasm32-unknown-unknown --test web --test web_hostile

echo "== release package (pkg/) in headless Chromium"
bash scripts/build.sh
node scripts/demo-test.mjs
node --test tests/e2e/*.test.mjs

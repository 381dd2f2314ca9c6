#!/usr/bin/env bash
# Runs every test: native core tests (cargo test). Installs what it needs first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
source "${TOOLS_DIR:-$HOME/.local/share/wasm-tools}/env.sh"
cargo test --locked

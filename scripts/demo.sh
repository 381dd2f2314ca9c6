#!/usr/bin/env bash
# Runs the demo: installs what it needs (idempotent), builds the release package and serves
# www/ on http://127.0.0.1:${PORT:-8080}/ with the offline stand-in widget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs "${PORT:-8080}"

#!/usr/bin/env bash
# The benchmark, from a fresh clone: installs what it needs, builds the release package, runs
# bench/run.mjs (prints the table, writes bench/results/latest.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node bench/run.mjs

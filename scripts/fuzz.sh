#!/usr/bin/env bash
# Runs every cargo-fuzz target for a while (default 60 s each) on nightly, starting from the
# seeds in fuzz/seeds/<target> (copied into fuzz/corpus/, which is not committed).
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]. Not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(trigger mapping settings event tape)
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  cp -n fuzz/seeds/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
  echo "== fuzz $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=4096 2>&1 |
    grep -E 'Done|stat::number_of_executed_units|ERROR|panicked|SUMMARY' || true
  [ -z "$(ls fuzz/artifacts/"$t" 2>/dev/null)" ] || { echo "crash found: fuzz/artifacts/$t"; exit 1; }
done

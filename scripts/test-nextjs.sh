#!/usr/bin/env bash
# The Next.js app router check (tests/nextjs/): not part of scripts/test.sh, because it installs
# Next.js and React into tests/nextjs/node_modules (about 380 MB, pinned by
# tests/nextjs/package-lock.json) and builds the app twice (Turbopack, webpack): a few minutes
# on 2 cores. Installs what it needs first, idempotently, and builds pkg/ if it is missing.
#   bash scripts/test-nextjs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f pkg/index.js ] || bash scripts/build.sh
stamp=tests/nextjs/node_modules/.package-lock.sha256
want="$(sha256sum tests/nextjs/package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --prefix tests/nextjs --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
node --test tests/nextjs/

#!/usr/bin/env bash
# The full check: installs redis-server if needed, then type-checks, lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

bash scripts/ensure-redis.sh
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx prettier --check .
npx vitest run "$@"

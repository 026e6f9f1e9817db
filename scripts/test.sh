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

report_dir=$(mktemp -d)
trap 'rm -rf "$report_dir"' EXIT

status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report_dir/vitest.json" "$@" ||
  status=$?

if [ -f "$report_dir/vitest.json" ]; then
  node scripts/test-summary.mjs "$report_dir/vitest.json"
fi
exit "$status"

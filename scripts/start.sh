#!/usr/bin/env bash
# `npm start`: builds the JavaScript once, installs redis-server if it is needed and missing, and
# runs the whole product on its embedded defaults (or on MESOS_MASTER and REDIS_URL when set).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

if [ -z "${REDIS_URL:-}" ]; then
  bash scripts/ensure-redis.sh
fi

npx tsc -p tsconfig.build.json
exec node dist/run/embedded.js

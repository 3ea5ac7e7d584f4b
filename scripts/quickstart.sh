#!/usr/bin/env bash
# Quick start: install, build, start the service (embedded SQLite, shipped model), run the example session with real
# approved drugs against it, and keep serving GraphQL at http://127.0.0.1:${PORT:-3000}/graphql and the browser
# workbench at http://127.0.0.1:${PORT:-3000}/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
npm run build
node dist/main.js &
server=$!
trap 'kill $server 2>/dev/null' INT TERM EXIT
url="http://127.0.0.1:${PORT:-3000}/graphql"
for _ in $(seq 1 60); do
  if curl -fs -o /dev/null -H 'content-type: application/json' -d '{"query":"{ __typename }"}' "$url"; then break; fi
  sleep 1
done
node scripts/demo.js "$url"
echo
echo "molnav is serving GraphQL at $url and the workbench at http://127.0.0.1:${PORT:-3000}/ (Ctrl-C to stop)"
wait $server

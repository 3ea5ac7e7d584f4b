#!/usr/bin/env bash
# Runs the tests that touch the store (store, jobs, libraries, auth, end-to-end) again against PostgreSQL: each test
# file gets a fresh database on the server MOLNAV_TEST_POSTGRES_URL names (see test/db.ts). .ci/run starts a server
# with scripts/ci-services.sh and sets MOLNAV_REQUIRE_SERVICES=1, so CI fails rather than skip when none is there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MOLNAV_TEST_POSTGRES_URL:-}" ]; then
  if [ "${MOLNAV_REQUIRE_SERVICES:-0}" = "1" ]; then
    echo "test:postgres: MOLNAV_REQUIRE_SERVICES=1 but MOLNAV_TEST_POSTGRES_URL is not set" >&2
    exit 1
  fi
  echo "test:postgres: skipped (no MOLNAV_TEST_POSTGRES_URL; start one with: eval \"\$(bash scripts/ci-services.sh)\")"
  exit 0
fi
paths=()
for p in test/store/store.spec.ts test/store/migrate-postgresql.spec.ts test/jobs test/e2e test/libraries test/auth test/security; do
  [ -e "$p" ] && paths+=("$p")
done
echo "test:postgres: ${paths[*]} against ${MOLNAV_TEST_POSTGRES_URL%%:*}://...@${MOLNAV_TEST_POSTGRES_URL#*@}"
MOLNAV_TEST_DATABASE=postgresql exec npx --no-install jest --runInBand "${paths[@]}"

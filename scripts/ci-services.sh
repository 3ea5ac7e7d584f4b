#!/usr/bin/env bash
# Installs (Debian apt) and starts the servers the full test run needs, on loopback, and prints the environment
# variables that point the tests at them:
#   MOLNAV_TEST_POSTGRES_URL   a PostgreSQL server: the store, job and end-to-end tests run again against it
#   MOLNAV_TEST_REDIS_URL      a Redis server: the BullMQ queue test (API + `npm run worker` processes)
#   MOLNAV_CHROMIUM            Debian's chromium, driven by playwright-core in the workbench browser tests
# Used by .ci/run (`eval "$(bash scripts/ci-services.sh)"`); idempotent; needs root or sudo to install and start.
# Diagnostics go to stderr, the exports to stdout.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "ci-services: need root or sudo to install and start PostgreSQL" >&2; exit 1; }
  SUDO="sudo"
fi
as_postgres() { if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
missing=()
if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then missing+=(postgresql); fi
if ! command -v redis-server >/dev/null; then missing+=(redis-server); fi
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium fonts-dejavu-core); fi
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
# The Debian package creates a cluster (version main); start it if it is down (no systemd in a CI container).
read -r ver name _port status _rest < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then $SUDO pg_ctlcluster "$ver" "$name" start >&2; fi
port="$(pg_lsclusters -h | awk -v v="$ver" -v n="$name" '$1 == v && $2 == n { print $3 }')"
# A login role that may create databases (each test file gets a fresh one); password auth over TCP on loopback.
as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'molnav_ci') THEN
    CREATE ROLE molnav_ci LOGIN CREATEDB PASSWORD 'molnav_ci';
  END IF;
END $$;
SQL
url="postgresql://molnav_ci:molnav_ci@127.0.0.1:${port}/postgres"
for _ in $(seq 1 30); do
  if psql "$url" -qtAc 'SELECT 1' >/dev/null 2>&1; then break; fi
  sleep 1
done
psql "$url" -qtAc 'SELECT 1' >/dev/null
echo "PostgreSQL $ver/$name ready on 127.0.0.1:$port" >&2
echo "export MOLNAV_TEST_POSTGRES_URL='$url'"

# Redis on loopback, in memory only (no persistence), as a daemon.
redis_port=6379
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >&2
  for _ in $(seq 1 30); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -p "$redis_port" ping >/dev/null
echo "Redis ready on 127.0.0.1:$redis_port" >&2
echo "export MOLNAV_TEST_REDIS_URL='redis://127.0.0.1:$redis_port'"
echo "export MOLNAV_CHROMIUM='/usr/bin/chromium'"

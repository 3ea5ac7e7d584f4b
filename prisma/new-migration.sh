#!/usr/bin/env bash
# Creates the next migration for both providers from prisma/schema.prisma (the single source of truth), offline:
#   prisma/migrations/<UTC timestamp>_<name>/migration.sql             SQLite: committed migrations -> schema.prisma
#                                                                        (WASM schema engine, in-memory shadow database)
#   prisma/postgresql/migrations/<same name>/migration.sql             PostgreSQL: previous derived schema -> new
#                                                                        derived schema (a datamodel diff: no server)
# then rewrites prisma/postgresql/schema.prisma (prisma/derive-postgresql.js) and regenerates both clients.
#   usage: bash prisma/new-migration.sh <snake_case_name>
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "usage: bash prisma/new-migration.sh <snake_case_name>" >&2; exit 64; }
export CHECKPOINT_DISABLE=1
sqlite_sql="$(mktemp)"; pg_sql="$(mktemp)"; pg_schema="$(mktemp --suffix .prisma)"
trap 'rm -f "$sqlite_sql" "$pg_sql" "$pg_schema"' EXIT

# diff <out> <args...>: exit 0 = no difference, 2 = difference written to <out>.
diff_to() {
  local out="$1"; shift
  set +e
  npx --no-install prisma migrate diff "$@" --script --exit-code >"$out"
  local rc=$?
  set -e
  case "$rc" in 0|2) return "$rc" ;; *) echo "prisma migrate diff failed (exit $rc)" >&2; exit "$rc" ;; esac
}

node prisma/derive-postgresql.js --stdout >"$pg_schema"
sqlite_rc=0; diff_to "$sqlite_sql" --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma || sqlite_rc=$?
pg_rc=0; diff_to "$pg_sql" --from-schema-datamodel prisma/postgresql/schema.prisma --to-schema-datamodel "$pg_schema" || pg_rc=$?
if [[ "$sqlite_rc" != "$pg_rc" ]]; then
  echo "the providers disagree (sqlite diff exit $sqlite_rc, postgresql diff exit $pg_rc):" >&2
  echo "is prisma/postgresql/schema.prisma in step with prisma/migrations? Inspect before going on." >&2
  exit 1
fi

folder="$(date -u +%Y%m%d%H%M%S)_${name}"
if [[ "$sqlite_rc" == 0 ]]; then
  echo "schema.prisma matches the committed migrations: no migration needed"
else
  for pair in "prisma/migrations:$sqlite_sql" "prisma/postgresql/migrations:$pg_sql"; do
    dir="${pair%%:*}/$folder"
    mkdir -p "$dir"
    cp "${pair#*:}" "$dir/migration.sql"
    echo "created $dir/migration.sql:"
    cat "$dir/migration.sql"
  done
fi
cp "$pg_schema" prisma/postgresql/schema.prisma
npm run --silent prisma:generate

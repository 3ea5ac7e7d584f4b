#!/usr/bin/env bash
# Creates prisma/migrations/<UTC timestamp>_<name>/migration.sql from the difference between the committed migrations
# and prisma/schema.prisma, then regenerates the client. Offline (WASM schema engine, in-memory shadow database).
#   usage: bash prisma/new-migration.sh <snake_case_name>
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "usage: bash prisma/new-migration.sh <snake_case_name>" >&2; exit 64; }
export CHECKPOINT_DISABLE=1
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
set +e
npx --no-install prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma \
  --script --exit-code >"$tmp"
rc=$?
set -e
case "$rc" in
  0) echo "schema.prisma matches the committed migrations: nothing to do"; exit 0 ;;
  2) ;;
  *) echo "prisma migrate diff failed (exit $rc)" >&2; exit "$rc" ;;
esac
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
mv "$tmp" "$dir/migration.sql"
echo "created $dir/migration.sql:"
cat "$dir/migration.sql"
npx --no-install prisma generate

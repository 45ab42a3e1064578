#!/usr/bin/env bash
# Start a local PostgreSQL for the ledger's tests and print the URL to use (the only line on stdout).
# Idempotent: installs Debian's `postgresql` with apt-get only if it is missing, creates the cluster if
# needed, starts it on 127.0.0.1 if it is not running, and (re)creates the role and the test database only
# when absent. Usage: export REPORTEDLY_TEST_PG="$(bash .ci/postgres.sh)"
set -euo pipefail

PG_USER="${REPORTEDLY_PG_USER:-reportedly}"
PG_PASS="${REPORTEDLY_PG_PASSWORD:-reportedly}"
PG_DB="${REPORTEDLY_PG_DB:-reportedly_test}"
PG_PORT="${REPORTEDLY_PG_PORT:-5432}"

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main --port "$PG_PORT" >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')"
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting cluster $VERSION/main on 127.0.0.1:$PORT"
  pg_ctlcluster "$VERSION" main start -- -o "-c listen_addresses=127.0.0.1" >&2 || \
    pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 30); do
  if runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 1
done
runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p "$PORT" || { log "server did not come up"; exit 1; }

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt -p "$PORT" "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  log "creating role $PG_USER"
  psql_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASS'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  psql_admin -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" >&2
fi

echo "postgresql://$PG_USER:$PG_PASS@127.0.0.1:$PORT/$PG_DB"

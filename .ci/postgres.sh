#!/usr/bin/env bash
# Start a local PostgreSQL for the ledger's tests and print the URL to use (the only line on stdout).
# Idempotent: installs Debian's `postgresql` with apt-get only if it is missing, creates the cluster if
# needed, gives it the ledger's memory settings (below), starts it on 127.0.0.1 if it is not running, and
# (re)creates the role and the test database only when absent. Usage: export REPORTEDLY_TEST_PG="$(bash .ci/postgres.sh)"
#
# Memory: Debian's default shared_buffers (128 MB) holds less than the claims table of a whole-corpus ledger
# (37.5k articles: its claims heap alone is about 350 MB), so a search for a common word read about 2,100 of
# its pages from the OS on every request. The settings go into the cluster's conf (pg_conftool); a running
# server is reloaded, and restarted only when a setting that needs it changed (the first run after this
# script changed them): later runs change nothing. Override with REPORTEDLY_PG_SHARED_BUFFERS etc.
set -euo pipefail

PG_USER="${REPORTEDLY_PG_USER:-reportedly}"
PG_PASS="${REPORTEDLY_PG_PASSWORD:-reportedly}"
PG_DB="${REPORTEDLY_PG_DB:-reportedly_test}"
PG_PORT="${REPORTEDLY_PG_PORT:-5432}"
SETTINGS=(
  "shared_buffers=${REPORTEDLY_PG_SHARED_BUFFERS:-1GB}"
  "effective_cache_size=${REPORTEDLY_PG_EFFECTIVE_CACHE_SIZE:-4GB}"
)

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
for kv in "${SETTINGS[@]}"; do
  if [ "$(pg_conftool -s "$VERSION" main show "${kv%%=*}" 2>/dev/null || true)" != "${kv#*=}" ]; then
    log "setting ${kv%%=*} = ${kv#*=} in the cluster's conf"
    pg_conftool "$VERSION" main set "${kv%%=*}" "${kv#*=}" >&2
  fi
done
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
# the live values against the conf's (a server started before the conf changed has the old ones)
stale() {
  local kv q=""
  for kv in "${SETTINGS[@]}"; do
    q="$q${q:+ + }(pg_size_bytes(current_setting('${kv%%=*}')) <> pg_size_bytes('${kv#*=}'))::int"
  done
  [ "$(psql_admin -c "SELECT $q")" != "0" ]
}
if stale; then
  psql_admin -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  if stale; then
    log "restarting cluster $VERSION/main for the new settings"
    pg_ctlcluster "$VERSION" main restart >&2
    for _ in $(seq 1 30); do
      if runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
      sleep 1
    done
    # ALTER SYSTEM (postgresql.auto.conf) overrides the conf: say so once, rather than restart on every run
    if stale; then log "warning: postgresql.auto.conf overrides these settings (ALTER SYSTEM RESET them to use the conf's)"; fi
  fi
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  log "creating role $PG_USER"
  psql_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASS'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  psql_admin -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" >&2
fi

echo "postgresql://$PG_USER:$PG_PASS@127.0.0.1:$PORT/$PG_DB"

#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, runs the given command with
# STEWARD_TEST_DATABASE_URL pointing at it, and stops the server again.
#   bash scripts/test-postgres.sh npm test
# Needs Debian's postgresql package (apt-get install postgresql). Runs the server as the
# `postgres` user when started as root, since PostgreSQL refuses to run as root.
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL server binaries not found: install them with 'apt-get install -y postgresql'" >&2
  exit 1
fi
port=${STEWARD_TEST_PG_PORT:-54329}
dir=$(mktemp -d /tmp/steward-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_pg "$pgbin/initdb" -D "$dir/data" -U steward_admin --auth=trust -E UTF8 >/dev/null
# Tests get a cluster without fsync: they kill Steward's processes (crash tests SIGKILL a client
# mid-commit), never this server, so what a commit wrote is in the OS's cache either way; flushing
# it only made the suite wait on the disk. Benchmarks measure durable commits:
# STEWARD_TEST_PG_DURABLE=1 keeps fsync and synchronous commit on (docs/benchmarks.md).
if [ "${STEWARD_TEST_PG_DURABLE:-}" = 1 ]; then
  durability="-c fsync=on -c synchronous_commit=on"
else
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" start >/dev/null
cleanup() { as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
export STEWARD_TEST_DATABASE_URL="postgres://steward_admin@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') for tests at 127.0.0.1:$port"
"$@"

#!/usr/bin/env bash
# Prepares the PostgreSQL + PostGIS baseline for `cargo bench --bench search`: creates a fresh
# database `junction_bench` (dropping any earlier one) with the postgis extension, installing
# Debian's PostGIS for the server's PostgreSQL version first when the extension can't be created.
#
# The benchmark runs this itself; run it by hand to check the baseline can be set up.
# Exit status: 0 ready; 2 PostGIS is unavailable (the benchmark then skips the baseline).
#
# Environment:
#   JUNCTION_BENCH_PG_ADMIN  libpq URL of a database to connect to for CREATE DATABASE
#                            (default postgres://postgres@127.0.0.1:5432/postgres)
#   JUNCTION_BENCH_PG_DB     database to (re)create (default junction_bench)
set -euo pipefail
export PGOPTIONS='-c client_min_messages=warning'

admin="${JUNCTION_BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
db="${JUNCTION_BENCH_PG_DB:-junction_bench}"
db_url="${admin%/*}/$db"

skip() {
    echo "postgis-setup: $*" >&2
    exit 2
}

command -v psql >/dev/null || skip "psql is not installed (apt-get install -y postgresql-client)"
psql "$admin" -qtAc 'SELECT 1' >/dev/null 2>&1 || skip "cannot connect to PostgreSQL at $admin"

psql "$admin" -qv ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"

create_extension() {
    psql "$db_url" -qv ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS postgis' 2>/dev/null
}

if ! create_extension; then
    major=$(psql "$admin" -qtAc 'SHOW server_version_num' | cut -c1-2)
    package="postgresql-${major}-postgis-3"
    [ "$(id -u)" = 0 ] || skip "PostGIS is missing and installing $package needs root"
    command -v apt-get >/dev/null || skip "PostGIS is missing and there is no apt-get to install $package"
    echo "postgis-setup: installing $package" >&2
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    # A machine whose package lists were never fetched needs an update first.
    if ! apt-get install -y --no-install-recommends "$package" >"$log" 2>&1; then
        apt-get update >>"$log" 2>&1 || true
        apt-get install -y --no-install-recommends "$package" >>"$log" 2>&1 || {
            tail -n 5 "$log" >&2
            skip "apt-get could not install $package"
        }
    fi
    rm -f "$log"
    create_extension || skip "$package is installed but CREATE EXTENSION postgis still fails"
fi
echo "postgis-setup: $db ready with PostGIS $(psql "$db_url" -qtAc 'SELECT postgis_lib_version()')" >&2

#!/bin/sh
# A throw-away PostgreSQL cluster for the unit tests that need one (test_store_cache):
#   pg-cluster.sh start DIR   initdb in DIR (an empty directory), start the server listening on
#                             a Unix socket in DIR only (no TCP port to collide with), create
#                             database guanbiao; prints its URL
#   pg-cluster.sh stop DIR    stop the server and remove DIR
# As root, the server runs as the postgres user (it refuses to run as root).
set -eu
cmd=$1
dir=$2
bin=
for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bin=/usr/lib/postgresql/$v/bin; break; fi
done
if [ -z "$bin" ]; then echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $cmd in
start)
    chmod 777 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    if ! as_pg "$bin/initdb" --no-sync -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        exit 1
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 -s \
        -o "-k $dir -c listen_addresses='' -c fsync=off" start >&2
    as_pg "$bin/createdb" -h "$dir" -U postgres guanbiao >&2
    echo "postgresql:///guanbiao?host=$dir&user=postgres"
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -s stop >&2 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (Debian's `postgresql` package, which scripts/setup.sh
# --browsers installs): `postgres.sh start DIR` makes a new cluster in DIR, starts it on 127.0.0.1 on a
# free port (no TCP listener elsewhere, trust authentication for its one user, `rolegate`), creates the
# database `rolegate_test` and prints its URL; `postgres.sh stop DIR` stops it. As root, the server
# runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop DIR} dir=${2:?usage: postgres.sh start|stop DIR}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
case $cmd in
start)
  rm -rf "$dir" && mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  "${as[@]}" "$BIN/initdb" -D "$dir/data" -U rolegate -A trust --no-sync >"$dir/initdb.log"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
  "${as[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$port" -U rolegate rolegate_test
  echo "postgres://rolegate@127.0.0.1:$port/rolegate_test"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then "${as[@]}" "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
  ;;
*)
  echo "usage: postgres.sh start|stop DIR" >&2
  exit 1
  ;;
esac

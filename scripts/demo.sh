#!/usr/bin/env bash
# Installs what is missing, builds the package, signs fresh dev snapshots and serves the demo on
# http://127.0.0.1:${PORT:-8123}/ (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8123}"
bash scripts/setup.sh
bash scripts/build.sh
cargo run -q --locked --example dev_snapshot --features keygen
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is busy: stop what uses it or run PORT=8124 bash scripts/demo.sh" >&2
  exit 1
fi
echo "demo: http://127.0.0.1:$PORT/"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 -d www

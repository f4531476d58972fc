#!/usr/bin/env bash
# Installs what is missing, builds the package and serves the demo with the dev issuer
# (`rolegate serve`) on http://127.0.0.1:${PORT:-8123}/ (Ctrl-C stops it). The issuer signs snapshots
# for the sample users of examples/policies/ with a dev key it keeps in .dev/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8123}"
bash scripts/setup.sh
bash scripts/build.sh
cargo build -q --locked --features cli
echo "demo: http://127.0.0.1:$PORT/"
exec cargo run -q --locked --features cli -- serve --port "$PORT" --ttl "${TTL:-60}"

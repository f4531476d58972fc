#!/usr/bin/env bash
# Smoke-tests the npm package as users get it, in every toolchain: packs pkg/ (run scripts/build.sh
# first), checks what the tarball holds, then installs it into a copy of each example under
# examples/toolchains/ (with the example's locked dependencies), builds it with its own toolchain and
# runs it in headless Chromium or Node; also init() with every kind of source (tests/toolchains/).
# Prints node:test results (`# pass N` / `# fail N`) and exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=target/toolchains
[ -f pkg/package.json ] || { echo "toolchains: pkg/ is not built; run scripts/build.sh first" >&2; exit 1; }
[ -d node_modules/playwright-core ] || { echo "toolchains: run scripts/setup.sh first (npm dev tools)" >&2; exit 1; }
T0=$SECONDS
rm -rf "$WORK" && mkdir -p "$WORK"
(cd pkg && npm pack --silent --pack-destination "../$WORK" >/dev/null)
set +e
TOOLCHAINS_DIR="$WORK" node --test --test-reporter=tap --test-concurrency=1 --test-timeout=240000 tests/toolchains/
rc=$?
set -e
echo "# toolchains: $((SECONDS - T0)) s"
exit "$rc"

#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, native Rust tests, the package
# build (with its size report), WebAssembly tests in Node and in headless Chromium, the JS API tests
# against the packed npm tarball, and the end-to-end demo tests. Ends with `ci: N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
T0=$SECONDS
LOG=$(mktemp -d)
PASSED=0 FAILED=0
step() { printf '\n=== [%4ss] %s\n' "$((SECONDS - T0))" "$*"; }
# Adds up cargo's "N passed; M failed" and node:test's "# pass N" / "# fail M" lines in a log.
count() {
  local p f
  p=$(grep -hoE '(^test result: .* ([0-9]+) passed|^# pass [0-9]+)' "$1" | grep -oE '[0-9]+( passed)?$' | grep -oE '^[0-9]+' | awk '{s+=$1} END {print s+0}')
  f=$(grep -hoE '(([0-9]+) failed;|^# fail [0-9]+)' "$1" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
  echo "--- counted $p passed, $f failed in $(basename "$1")"
}
run() { # run NAME CMD...: runs a test command, logs it, counts it; a failing command fails the script
  local name=$1; shift
  set +e
  "$@" 2>&1 | tee "$LOG/$name.log"
  local rc=${PIPESTATUS[0]}
  set -e
  count "$LOG/$name.log"
  if [ "$rc" -ne 0 ]; then echo "ci: $PASSED passed, $((FAILED > 0 ? FAILED : 1)) failed"; exit "$rc"; fi
}
# Runs a Vitest command with a TAP reporter and adds node:test's "# pass N" / "# fail N" lines for count().
vitest_tap() {
  local out rc
  out=$(mktemp)
  set +e
  "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  echo "# pass $(grep -c '^ok ' "$out")"
  echo "# fail $(grep -c '^not ok ' "$out")"
  return "$rc"
}
# The throwaway PostgreSQL server of the query-plan tests (scripts/postgres.sh), stopped on exit.
PG_DIR=/tmp/rolegate-postgres-$$
cleanup() {
  if [ -n "${HTTP_PID:-}" ]; then kill "$HTTP_PID" 2>/dev/null || true; fi
  if [ -d "$PG_DIR" ]; then bash scripts/postgres.sh stop "$PG_DIR" 2>/dev/null || true; rm -rf "$PG_DIR"; fi
}
trap cleanup EXIT

step "setup (Chromium installs in the background)"
SETUP_APT_LOG="$LOG/apt.log" SETUP_APT_PID_FILE="$LOG/apt.pid" bash scripts/setup.sh --browsers
# PyJWT for the interop tests (a Python back end's JOSE stack), in the background too.
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore pyjwt==2.15.1 cryptography==50.0.2 \
  >"$LOG/pip.log" 2>&1 &
PIP_PID=$!

step "cargo fmt --check; clippy (native, all features; wasm32, browser build)"
cargo fmt --check
cargo clippy -q --locked --all-targets --all-features -- -D warnings
cargo clippy -q --locked --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
cargo clippy -q --locked --all-targets --target wasm32-unknown-unknown -- -D warnings
cargo clippy -q --locked --lib --target wasm32-unknown-unknown --features commands -- -D warnings

step "native tests (unit, integration, doc)"
run native cargo test --locked --all-features

step "package build: pkg/ and www/pkg/, sizes"
bash scripts/build.sh

step "benchmark smoke: rolegate, CASL and Cedar agree on W1 (bench/ci.test.mjs; no timings asserted)"
run bench node --test bench/ci.test.mjs

step "wasm tests: compile"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_DRIVER_TIMEOUT=30 WASM_BINDGEN_TEST_TIMEOUT=60
unset GECKODRIVER SAFARIDRIVER
cargo test -q --locked --target wasm32-unknown-unknown --tests --no-run

step "wait for the browsers (apt)"
wait "$(cat "$LOG/apt.pid")" 2>/dev/null || true
for tool in chromedriver firefox-esr /usr/bin/WebKitWebDriver xvfb-run; do
  command -v "$tool" >/dev/null || { cat "$LOG/apt.log"; echo "$tool did not install"; exit 1; }
done
tail -2 "$LOG/apt.log"

step "PostgreSQL for the query-plan tests: a throwaway server on 127.0.0.1 (stopped at the end)"
DATABASE_URL=$(bash scripts/postgres.sh start "$PG_DIR") || { cat "$PG_DIR"/*.log; exit 1; }
export DATABASE_URL
echo "PostgreSQL: $DATABASE_URL"

step "wasm tests: Node and headless Chromium"
run wasm cargo test --locked --target wasm32-unknown-unknown --tests
grep -q 'Running headless tests in Chrome' "$LOG/wasm.log" || { echo "browser tests did not run"; exit 1; }
grep -q 'Running tests/wasm_node.rs' "$LOG/wasm.log" || { echo "Node wasm tests did not run"; exit 1; }

# Exactly one driver variable per run: the runner takes the first it finds (gecko, safari, chrome).
step "wasm tests: headless Firefox ESR"
run wasm-firefox env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" \
  cargo test --locked --target wasm32-unknown-unknown --test wasm_browser
grep -q 'Running headless tests in Firefox' "$LOG/wasm-firefox.log" || { echo "Firefox tests did not run"; exit 1; }

step "wasm tests: WebKitGTK (under Xvfb)"
run wasm-webkit xvfb-run -a env -u CHROMEDRIVER SAFARIDRIVER=/usr/bin/WebKitWebDriver \
  cargo test --locked --target wasm32-unknown-unknown --test wasm_browser
grep -q 'Running headless tests in Safari' "$LOG/wasm-webkit.log" || { echo "WebKit tests did not run"; exit 1; }

step "JS API tests against the packed tarball, installed into an empty project: Gate, surfaces, conformance, Node issuer, parity with native, query plans on SQLite, PostgreSQL, a Prisma Client and a Mongo engine, the request guard over HTTP (node:http, Express, Fastify)"
CONSUMER=target/js-consumer
JOSE=$(node -p "require('./package.json').devDependencies.jose")
REACT=$(node -p "require('./examples/react/package.json').dependencies.react") # one pin for the example and the test
TYPESCRIPT=$(node -p "require('./examples/toolchains/typescript/package.json').devDependencies.typescript")
TYPES_REACT=$(node -p "require('./package.json').devDependencies['@types/react']") # for the typed-React tsc test
# The query engines the query-plan test runs plans on (tests/js/query.test.mjs): SQLite, PostgreSQL's
# client, a MongoDB query engine in JS, and Prisma Client's runtime with its driver adapters for both
# (the test generates the client with the CLI of package.json's `prisma`, whose version @prisma/client
# must have; adapter-better-sqlite3 has no 7.10.1). Only the consumer installs them (better-sqlite3
# compiles).
QUERY_ENGINES=(better-sqlite3@12.9.0 pg@8.23.1 mingo@7.2.7 @prisma/client@7.10.1 @prisma/adapter-pg@7.10.1
  @prisma/adapter-better-sqlite3@7.10.0)
# The web frameworks the request guard's test serves real HTTP requests with (tests/js/server.test.mjs).
SERVER_FRAMEWORKS=(express@5.3.0 fastify@5.12.8)
rm -rf "$CONSUMER" && mkdir -p "$CONSUMER"
(cd pkg && npm pack --silent --pack-destination "../$CONSUMER" >/dev/null)
cp tests/js/*.mjs tests/js/*.html tests/interop/*.mjs "$CONSUMER/"
mkdir -p "$CONSUMER/conformance" "$CONSUMER/fixtures"
cp tests/conformance/*.json "$CONSUMER/conformance/"
for product in commusoft property reconpro neptunecrm; do # signed snapshots of every sample user
  cargo run -q --locked --example sign_users -- "$product" >"$CONSUMER/fixtures/$product.json"
done
(cd "$CONSUMER" && printf '{"name":"consumer","private":true,"type":"module"}\n' >package.json &&
  npm install --no-audit --no-fund --loglevel=error ./rolegate-*.tgz "jose@$JOSE" "react@$REACT" "react-dom@$REACT" \
    "typescript@$TYPESCRIPT" "@types/react@$TYPES_REACT" "${QUERY_ENGINES[@]}" "${SERVER_FRAMEWORKS[@]}")
# Parity: the native answer to every conformance case, compared by parity.test.mjs with the package's.
cargo run -q --locked --example conformance_decisions --features issuer >"$LOG/native-decisions.jsonl"
run js env ROLEGATE_ROOT="$PWD" PARITY_NATIVE="$LOG/native-decisions.jsonl" \
  ROLEGATE_REQUIRE_POSTGRES=1 \
  bash -c "cd $CONSUMER && node --test gate.test.mjs gate-query.test.mjs surfaces.test.mjs conformance.test.mjs issuer.test.mjs parity.test.mjs testing.test.mjs hostile.test.mjs query.test.mjs server.test.mjs"

step "README quick start, run as written in an empty folder with only the packed package"
run quickstart env ROLEGATE_ROOT="$PWD" ROLEGATE_TARBALL="$(ls "$PWD/$CONSUMER"/rolegate-*.tgz)" \
  bash -c "cd $CONSUMER && node --test quickstart.test.mjs"

step "JS API tests in Node with WebAssembly deleted (the wasm2js fallback)"
run js-nowasm bash -c "cd $CONSUMER && node --import ./no-wasm.mjs --test gate.test.mjs gate-query.test.mjs surfaces.test.mjs conformance.test.mjs hostile.test.mjs"

step "JS API tests in browsers, with and without WebAssembly: Chromium, Firefox ESR, WebKitGTK"
run js-chromium bash -c "cd $CONSUMER && ENGINE=chromium node --test browser.test.mjs testing-browser.test.mjs"
run js-firefox bash -c "cd $CONSUMER && ENGINE=firefox GECKODRIVER=$(command -v geckodriver) node --test browser.test.mjs"
run js-webkit xvfb-run -a bash -c "cd $CONSUMER && ENGINE=webkit node --test browser.test.mjs"

step "React binding (rolegate/react): server rendering in Node, the gated menu in headless Chromium"
mkdir -p "$CONSUMER/react" && cp tests/react/*.mjs "$CONSUMER/react/"
run react env ROLEGATE_ROOT="$PWD" bash -c "cd $CONSUMER/react && node --test react.test.mjs"

step "example app with the testing kit (examples/crm-app, from a clean copy): Vitest in Node, Playwright in headless Chromium"
# From a clean copy, as a user would have it: its own files, its locked dependencies, the packed tarball.
APP=target/examples/crm-app
TGZ=$(cd "$CONSUMER" && ls "$PWD"/rolegate-*.tgz)
rm -rf "$APP" && mkdir -p "$APP" && tar -C examples/crm-app --exclude=./node_modules -cf - . | tar -C "$APP" -xf -
(cd "$APP" && npm install --no-audit --no-fund --loglevel=error "$TGZ")
run crm-app-unit vitest_tap bash -c "cd $APP && npx vitest run --reporter=tap-flat"
run crm-app-e2e bash -c "cd $APP && node --test test/e2e.test.mjs"
# The guard: with a policy that lets a Coordinator see costs, both suites must fail, on the costs.
node "$APP/test/coordinator-sees-costs.mjs" "$LOG/coordinator-sees-costs.json"
for suite in "npx vitest run:to be masked, but the user sees it" "node --test test/e2e.test.mjs:^not ok .* a Coordinator"; do
  if (cd "$APP" && APP_POLICY="$LOG/coordinator-sees-costs.json" ${suite%%:*} >"$LOG/guard.log" 2>&1); then
    FAILED=$((FAILED + 1)); echo "--- guard: \`${suite%%:*}\` PASSED with a policy that shows costs to Coordinators"
  elif grep -qE "${suite#*:}" "$LOG/guard.log"; then
    PASSED=$((PASSED + 1)); echo "--- guard: \`${suite%%:*}\` fails on the costs, as it must"
  else
    FAILED=$((FAILED + 1)); cat "$LOG/guard.log"; echo "--- guard: \`${suite%%:*}\` failed, but not on the costs"
  fi
done
[ "$FAILED" -eq 0 ] || { echo "ci: $PASSED passed, $FAILED failed"; exit 1; }

step "toolchains: the packed tarball in every example project (Vite, webpack, esbuild, Rollup, HTML, Node, SSR)"
run toolchains bash scripts/toolchains.sh

step "interop: Node jose and Python PyJWT against rolegate (package and CLI)"
cargo build -q --locked --features cli
wait "$PIP_PID" || { cat "$LOG/pip.log"; exit 1; }
run interop env ROLEGATE_BIN="$PWD/target/debug/rolegate" PYJWT_TOOL="$PWD/tests/interop/pyjwt_tool.py" \
  bash -c "cd $CONSUMER && node --test interop.test.mjs"

step "typed keys: \`rolegate types\` + tsc --noEmit (a misspelt key fails, a correct one compiles)"
run types env ROLEGATE_BIN="$PWD/target/debug/rolegate" ROLEGATE_ROOT="$PWD" bash -c "cd $CONSUMER && node --test types.test.mjs"

step "npx rolegate: the package's CLI (Rust in the issuer's wasm) against the native binary, output and exit codes"
run cli-parity env ROLEGATE_BIN="$PWD/target/debug/rolegate" ROLEGATE_ROOT="$PWD" bash -c "cd $CONSUMER && node --test cli-parity.test.mjs"

step "end-to-end: the demo in headless Chromium (desktop, Pixel 7, iPhone 14) against the dev issuer"
# `rolegate serve` (built above with the interop step) on a free port unless E2E_PORT is set; it prints
# its address on its first line.
./target/debug/rolegate serve --port "${E2E_PORT:-0}" >"$LOG/serve.log" 2>&1 &
HTTP_PID=$!
E2E_URL=
for _ in $(seq 100); do
  E2E_URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$LOG/serve.log" | head -1) && [ -n "$E2E_URL" ] && break
  kill -0 "$HTTP_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$E2E_URL" ] || { cat "$LOG/serve.log"; echo "the dev server did not start"; exit 1; }
echo "dev server: $E2E_URL"
run e2e env BASE_URL="$E2E_URL" SCREENSHOTS=target/screenshots node --test tests/e2e/
echo "--- the dev server issued $(grep -c ' issued ' "$LOG/serve.log") snapshots; screenshots in target/screenshots/"

step "soak (short): load/swap cycles and checks in Node, no wasm memory growth"
run soak node --expose-gc --test bench/soak/

step "fuzz smoke: each target for ${FUZZ_SECONDS:-10} s (nightly + cargo-fuzz)"
if [ "${FUZZ_SECONDS:-10}" -gt 0 ]; then
  rustup toolchain list | grep -q '^nightly' || { echo "the nightly toolchain is missing: fuzzing needs it"; exit 1; }
  command -v cargo-fuzz >/dev/null || cargo +nightly install -q cargo-fuzz --locked
  (cd fuzz && cargo +nightly fuzz build -O 2>&1 | tail -1)
  for target in $(cd fuzz && cargo +nightly fuzz list); do
    if (cd fuzz && cargo +nightly fuzz run "$target" -- -max_total_time="${FUZZ_SECONDS:-10}" 2>&1 | tail -2); then
      PASSED=$((PASSED + 1)); echo "--- fuzz $target: no crash"
    else
      FAILED=$((FAILED + 1)); echo "--- fuzz $target: CRASH (see fuzz/artifacts/$target)"
    fi
  done
fi

step "done in $((SECONDS - T0)) s"
echo "ci: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

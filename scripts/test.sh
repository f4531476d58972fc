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
cleanup() { [ -n "${HTTP_PID:-}" ] && kill "$HTTP_PID" 2>/dev/null || true; }
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

step "native tests (unit, integration, doc)"
run native cargo test --locked --all-features

step "package build: pkg/ and www/pkg/, sizes"
bash scripts/build.sh

step "benchmark smoke: rolegate, CASL and Cedar agree on W1 (bench/ci.test.mjs; no timings asserted)"
run bench node --test bench/

step "wasm tests: compile"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_DRIVER_TIMEOUT=30 WASM_BINDGEN_TEST_TIMEOUT=60
unset GECKODRIVER SAFARIDRIVER
cargo test -q --locked --target wasm32-unknown-unknown --tests --no-run

step "wait for Chromium"
wait "$(cat "$LOG/apt.pid")" 2>/dev/null || true
command -v chromedriver >/dev/null || { cat "$LOG/apt.log"; echo "Chromium did not install"; exit 1; }
tail -2 "$LOG/apt.log"

step "wasm tests: Node and headless Chromium"
run wasm cargo test --locked --target wasm32-unknown-unknown --tests
grep -q 'Running headless tests in Chrome' "$LOG/wasm.log" || { echo "browser tests did not run"; exit 1; }
grep -q 'Running tests/wasm_node.rs' "$LOG/wasm.log" || { echo "Node wasm tests did not run"; exit 1; }

step "JS API tests against the packed tarball, installed into an empty project"
CONSUMER=target/js-consumer
JOSE=$(node -p "require('./package.json').devDependencies.jose")
PLAYWRIGHT=$(node -p "require('./package.json').devDependencies['playwright-core']")
rm -rf "$CONSUMER" && mkdir -p "$CONSUMER"
(cd pkg && npm pack --silent --pack-destination "../$CONSUMER" >/dev/null)
cp tests/js/*.mjs tests/js/*.html tests/interop/*.mjs "$CONSUMER/"
mkdir -p "$CONSUMER/conformance" "$CONSUMER/fixtures"
cp tests/conformance/*.json "$CONSUMER/conformance/"
for product in commusoft property reconpro neptunecrm; do # signed snapshots of every sample user
  cargo run -q --locked --example sign_users -- "$product" >"$CONSUMER/fixtures/$product.json"
done
(cd "$CONSUMER" && printf '{"name":"consumer","private":true,"type":"module"}\n' >package.json &&
  npm install --no-audit --no-fund --loglevel=error ./rolegate-*.tgz "jose@$JOSE" "playwright-core@$PLAYWRIGHT")
run js bash -c "cd $CONSUMER && node --test gate.test.mjs surfaces.test.mjs conformance.test.mjs"

step "JS API tests in headless Chromium (the same conformance runner, and the surfaces)"
run js-browser bash -c "cd $CONSUMER && node --test browser.test.mjs"

step "toolchains: the packed tarball in every example project (Vite, webpack, esbuild, Rollup, HTML, Node, SSR)"
run toolchains bash scripts/toolchains.sh

step "interop: Node jose and Python PyJWT against rolegate (package and CLI)"
cargo build -q --locked --features cli
wait "$PIP_PID" || { cat "$LOG/pip.log"; exit 1; }
run interop env ROLEGATE_BIN="$PWD/target/debug/rolegate" PYJWT_TOOL="$PWD/tests/interop/pyjwt_tool.py" \
  bash -c "cd $CONSUMER && node --test interop.test.mjs"

step "end-to-end: demo in headless Chromium"
cargo run -q --locked --example dev_snapshot --features keygen
E2E_PORT=${E2E_PORT:-8123}
python3 -m http.server "$E2E_PORT" --bind 127.0.0.1 -d www >"$LOG/http.log" 2>&1 &
HTTP_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$E2E_PORT") 2>/dev/null && break; sleep 0.1; done
run e2e env BASE_URL="http://127.0.0.1:$E2E_PORT/" SCREENSHOTS=target/screenshots node --test tests/e2e/

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

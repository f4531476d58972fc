#!/usr/bin/env bash
# Builds the npm package into pkg/ (one ES module build for browsers, bundlers and Node, plus a
# CommonJS entry generated from it for require(); and the Node issuer `rolegate/issuer`, a second wasm
# build) and copies it to www/pkg/ for the demo. Needs: the
# wasm32 target, wasm-bindgen-cli at the crate's version, and `npm ci` (for binaryen's wasm-opt and
# wasm2js, and esbuild). Prints raw / gzip / brotli sizes.
#
# One module serves both backends: it is built without reference types and multi-value (wasm-bindgen
# then keeps JS objects in a plain JS heap, not an externref table), so binaryen's wasm2js can translate
# the very same module to JavaScript for places where WebAssembly is switched off (docs/platforms.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
# The features the module uses once reference types and multi-value are off (named explicitly because
# the prebuilt std still advertises more in the target_features section, which is stripped).
FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals)

# The browser modules are built with nightly's `-Zbuild-std`: the standard library is compiled with the
# crate's size settings (`optimize_for_size`), and panics abort at once (`panic=immediate-abort`)
# instead of formatting a message nobody sees (library code has no panics; this drops the panic
# machinery of std and of dependencies: about 9 KB brotli). SHA-512 uses sha2's compact software
# backend (the unrolled one is 10 KB larger; verification stays well under a millisecond per
# snapshot). `-Zfmt-debug=none` and `-Zlocation-detail=none` drop `Debug` output and panic locations,
# which the browser module never shows (0.2 KB). Everything else (tests, Node issuer, CLI) uses stable. scripts/setup.sh installs
# nightly's rust-src; without it the build falls back to stable and the size budget below fails.
SIZE_FLAGS='-C target-feature=-reference-types,-multivalue --cfg sha2_backend_soft="compact"'
# Two browser modules from the same code: the default one (`--no-default-features`, the one the size
# budget counts) and the opt-in planner module, the same plus `gate.query` (feature `query`;
# `init({ query: true })` loads it, docs/records.md). Built in one target directory, one after the other:
# only the rolegate crate itself is compiled twice.
browser_build() {
  if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    RUSTFLAGS="$SIZE_FLAGS -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none" \
      cargo +nightly build --locked --release --target wasm32-unknown-unknown --no-default-features "$@" \
      --target-dir target/mvp -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
  else
    echo "build: nightly with rust-src is missing (scripts/setup.sh installs it); building with stable," \
      "which makes a larger module" >&2
    RUSTFLAGS="$SIZE_FLAGS" \
      cargo build --locked --release --target wasm32-unknown-unknown --no-default-features "$@" --target-dir target/mvp
  fi
}
rm -rf target/bindgen target/bindgen-query target/stripped pkg
mkdir -p target/stripped pkg
# Each module: its target features stripped (see FEATURES; `-g` keeps the function names, which
# scripts/trim-table.mjs reads and twiggy shows), then wasm-bindgen.
bindgen() { # $1: the cargo output, $2: the bindgen directory
  wasm-opt -g --strip-target-features "${FEATURES[@]}" --enable-multivalue --enable-reference-types \
    --enable-call-indirect-overlong "$1" -o target/stripped/rolegate.wasm
  wasm-bindgen --target bundler --out-dir "$2" target/stripped/rolegate.wasm
  if grep -q '__wbindgen_externrefs' "$2/rolegate_bg.js"; then
    echo "build: the glue uses an externref table; the wasm2js fallback cannot share it" >&2
    exit 1
  fi
}
browser_build --features query
bindgen target/mvp/wasm32-unknown-unknown/release/rolegate.wasm target/bindgen-query
browser_build
bindgen target/mvp/wasm32-unknown-unknown/release/rolegate.wasm target/bindgen
# The shipped modules carry no name section (it is only for profilers; twiggy reads target/bindgen).
# Two rounds, -Os then -Oz: measured 158 B brotli smaller than -Oz -Oz (57 783 vs 57 941 B at
# 0f7c213; -Os alone, -Os -Os, -Oz -Os, -Oz --gufa -Oz and three -Oz rounds were all larger). `-lmu`
# (the low 1 KiB of memory is unused: Rust's stack grows down towards it, and reaching it is an
# overflow) lets binaryen fold address arithmetic (0.4 KB).
# Before that, scripts/trim-table.mjs points the function table's slots of wasm-bindgen's closure shims,
# which nothing can call, at one trapping function, so that wasm-opt removes them (366 B brotli).
for dir in bindgen bindgen-query; do
  node scripts/trim-table.mjs "target/$dir/rolegate_bg.wasm" "target/$dir/rolegate_bg.js" "target/$dir/trimmed.wasm"
done
wasm-opt -lmu -Os -Oz --strip-debug "${FEATURES[@]}" target/bindgen/trimmed.wasm -o pkg/rolegate_bg.wasm
wasm-opt -lmu -Os -Oz --strip-debug "${FEATURES[@]}" target/bindgen-query/trimmed.wasm -o pkg/rolegate_query_bg.wasm
# Both modules share one glue, the planner module's: its imports are the same, and it adds the
# `query` method, which the default module does not export (js/gate.js asks the loader first).
node scripts/glue-check.mjs target/bindgen/rolegate_bg.js target/bindgen-query/rolegate_bg.js pkg/rolegate_bg.wasm pkg/rolegate_query_bg.wasm
# The no-WebAssembly fallback: the planner module as JavaScript (so `gate.query` works there too; it
# is loaded only where WebAssembly is missing, outside the budget), saturating float conversions
# lowered first.
wasm-opt "${FEATURES[@]}" --llvm-nontrapping-fptoint-lowering pkg/rolegate_query_bg.wasm -o target/stripped/mvp.wasm
wasm2js -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals target/stripped/mvp.wasm \
  -o pkg/rolegate_bg.wasm.js
node scripts/patch-wasm2js.mjs pkg/rolegate_bg.wasm.js
cp target/bindgen-query/rolegate_bg.js pkg/
if [ -d target/bindgen-query/snippets ]; then cp -r target/bindgen-query/snippets pkg/; fi
# The Node issuer (`rolegate/issuer`): a second build with the default features (policy compiler and
# signer), its glue and .wasm named rolegate_issuer_bg.* beside the browser build's. Browsers never load it.
cargo build --locked --release --target wasm32-unknown-unknown --features commands
rm -rf target/bindgen-issuer
wasm-bindgen --target bundler --out-name rolegate_issuer --out-dir target/bindgen-issuer \
  target/wasm32-unknown-unknown/release/rolegate.wasm
[ ! -d target/bindgen-issuer/snippets ] || { echo "build: the issuer glue has snippets; package them" >&2; exit 1; }
wasm-opt -Oz target/bindgen-issuer/rolegate_issuer_bg.wasm -o pkg/rolegate_issuer_bg.wasm
cp target/bindgen-issuer/rolegate_issuer_bg.js pkg/
cp js/*.js js/*.d.ts pkg/
node scripts/cjs.mjs pkg
node scripts/package.mjs pkg
rm -rf www/pkg
cp -r pkg www/pkg
# Issue 8's budget: 64 KiB brotli for the .wasm plus the JavaScript `import 'rolegate'` loads, minified
# as a production bundle serves it (scripts/sizes.mjs prints the unminified size too). The wasm2js
# fallback, the opt-in React binding, the Node issuer and the test kit are reported separately.
node scripts/sizes.mjs pkg "${MAX_BROTLI_BYTES:-65536}"

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

# The browser module is built with nightly's `-Zbuild-std`: the standard library is compiled with the
# crate's size settings (`optimize_for_size`), and panics abort at once (`panic=immediate-abort`)
# instead of formatting a message nobody sees (library code has no panics; this drops the panic
# machinery of std and of dependencies: about 9 KB brotli). SHA-512 uses sha2's compact software
# backend (the unrolled one is 10 KB larger; verification stays well under a millisecond per
# snapshot). `-Zfmt-debug=none` and `-Zlocation-detail=none` drop `Debug` output and panic locations,
# which the browser module never shows (0.2 KB). Everything else (tests, Node issuer, CLI) uses stable. scripts/setup.sh installs
# nightly's rust-src; without it the build falls back to stable and the size budget below fails.
SIZE_FLAGS='-C target-feature=-reference-types,-multivalue --cfg sha2_backend_soft="compact"'
if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  RUSTFLAGS="$SIZE_FLAGS -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none" \
    cargo +nightly build --locked --release --target wasm32-unknown-unknown --no-default-features \
    --target-dir target/mvp -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
else
  echo "build: nightly with rust-src is missing (scripts/setup.sh installs it); building with stable," \
    "which makes a larger module" >&2
  RUSTFLAGS="$SIZE_FLAGS" \
    cargo build --locked --release --target wasm32-unknown-unknown --no-default-features --target-dir target/mvp
fi
rm -rf target/bindgen target/stripped pkg
mkdir -p target/stripped pkg
wasm-opt --strip-target-features "${FEATURES[@]}" --enable-multivalue --enable-reference-types \
  --enable-call-indirect-overlong target/mvp/wasm32-unknown-unknown/release/rolegate.wasm -o target/stripped/rolegate.wasm
wasm-bindgen --target bundler --out-dir target/bindgen target/stripped/rolegate.wasm
if grep -q '__wbindgen_externrefs' target/bindgen/rolegate_bg.js; then
  echo "build: the glue uses an externref table; the wasm2js fallback cannot share it" >&2
  exit 1
fi
# The shipped module carries no name section (it is only for profilers; twiggy reads target/bindgen).
# Two rounds, -Os then -Oz: measured 158 B brotli smaller than -Oz -Oz (57 783 vs 57 941 B at
# 0f7c213; -Os alone, -Os -Os, -Oz -Os, -Oz --gufa -Oz and three -Oz rounds were all larger). `-lmu`
# (the low 1 KiB of memory is unused: Rust's stack grows down towards it, and reaching it is an
# overflow) lets binaryen fold address arithmetic (0.4 KB).
wasm-opt -lmu -Os -Oz --strip-debug "${FEATURES[@]}" target/bindgen/rolegate_bg.wasm -o pkg/rolegate_bg.wasm
# The no-WebAssembly fallback: the same module as JavaScript (saturating float conversions lowered first).
wasm-opt "${FEATURES[@]}" --llvm-nontrapping-fptoint-lowering pkg/rolegate_bg.wasm -o target/stripped/mvp.wasm
wasm2js -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals target/stripped/mvp.wasm \
  -o pkg/rolegate_bg.wasm.js
node scripts/patch-wasm2js.mjs pkg/rolegate_bg.wasm.js
cp target/bindgen/rolegate_bg.js pkg/
if [ -d target/bindgen/snippets ]; then cp -r target/bindgen/snippets pkg/; fi
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

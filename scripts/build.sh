#!/usr/bin/env bash
# Builds the npm package into pkg/ (one ES module build for browsers, bundlers and Node, plus a
# CommonJS entry generated from it for require(); and the Node issuer `rolegate/issuer`, a second wasm
# build) and copies it to www/pkg/ for the demo. Needs: the
# wasm32 target, wasm-bindgen-cli at the crate's version, and `npm ci` (for binaryen's wasm-opt and
# esbuild). Prints raw / gzip / brotli sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

cargo build --locked --release --target wasm32-unknown-unknown --no-default-features
rm -rf target/bindgen pkg
wasm-bindgen --target bundler --out-dir target/bindgen target/wasm32-unknown-unknown/release/rolegate.wasm
mkdir -p pkg
wasm-opt -Oz target/bindgen/rolegate_bg.wasm -o pkg/rolegate_bg.wasm
cp target/bindgen/rolegate_bg.js pkg/
if [ -d target/bindgen/snippets ]; then cp -r target/bindgen/snippets pkg/; fi
# The Node issuer (`rolegate/issuer`): a second build with the default features (policy compiler and
# signer), its glue and .wasm named rolegate_issuer_bg.* beside the browser build's. Browsers never load it.
cargo build --locked --release --target wasm32-unknown-unknown
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
# The budget is 144 KiB brotli for now (the policy evaluator doubled the module); the performance
# work (issue 8) is to bring it to 64 KiB.
node scripts/sizes.mjs pkg "${MAX_BROTLI_BYTES:-147456}"

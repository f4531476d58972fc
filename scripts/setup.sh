#!/usr/bin/env bash
# Installs what is missing to build rolegate (idempotent; quick when everything is present):
# the wasm32 target, nightly's rust-src (for the browser build), wasm-bindgen-cli at the exact version in Cargo.lock, and the npm dev tools.
# With --browsers it also installs Debian's Chromium, Firefox ESR and WebKitGTK with their WebDriver
# servers, Xvfb, PostgreSQL, and geckodriver (the apt part in the background when
# SETUP_APT_LOG is set: the caller waits for the PID in SETUP_APT_PID_FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# What this script does not install itself, checked first with what to do about it (README,
# "Prerequisites"): rustup with a stable toolchain, and Node.js 20.19 or newer with npm (the package
# runs on 20.16; the dev dependency `prisma`, which the query-plan test generates a client with, needs
# 20.19 and refuses to install on less).
missing=()
command -v rustup >/dev/null && command -v cargo >/dev/null ||
  missing+=("Rust (rustup and cargo): curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y, then open a new shell")
node_ok=$(node -e 'const [a, b] = process.versions.node.split(".").map(Number); console.log(a > 20 || (a === 20 && b >= 19))' 2>/dev/null || true)
if [ "$node_ok" != "true" ] || ! command -v npm >/dev/null; then
  missing+=("Node.js 20.19 or newer with npm (found: $(node --version 2>/dev/null || echo none)): apt-get install nodejs npm on Debian 13, or https://nodejs.org")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: missing prerequisites; install them and run this again:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

# Chromium, Firefox ESR and WebKitGTK with their WebDriver servers, Xvfb (WebKit needs a display), and
# the PostgreSQL server the query-plan tests run SQL on (scripts/postgres.sh starts a throwaway one).
# One apt-get for all of them: two at once would fight over the dpkg lock.
install_browsers() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v firefox-esr >/dev/null ||
    [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null || ! command -v xauth >/dev/null ||
    ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth postgresql >/dev/null
  fi
  chromium --version 2>/dev/null | grep -v 'unexpected operator' || true
  chromedriver --version
  firefox-esr --version
}

if [ "${1:-}" = "--browsers" ]; then
  if [ -n "${SETUP_APT_LOG:-}" ]; then
    install_browsers >"$SETUP_APT_LOG" 2>&1 &
    echo $! >"${SETUP_APT_PID_FILE:?}"
  else
    install_browsers
  fi
fi

rustup target add wasm32-unknown-unknown 2>&1 | grep -v 'is up to date' || true
# The browser module is built with nightly's -Zbuild-std (scripts/build.sh), which needs the standard
# library's source for nightly (about 3 MB, once).
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal --component rust-src
elif ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
  rustup component add rust-src --toolchain nightly
fi

WB=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB" ]; then
  echo "installing wasm-bindgen-cli $WB (about 4 minutes, once)"
  # --locked can fail when the registry lacks a version pinned in the CLI's lockfile; then resolve fresh.
  cargo install -q wasm-bindgen-cli --version "$WB" --locked 2>/dev/null ||
    cargo install -q wasm-bindgen-cli --version "$WB"
fi

if [ "${1:-}" = "--browsers" ] && ! command -v geckodriver >/dev/null; then
  echo "installing geckodriver (Firefox's WebDriver server; about 2 minutes, once)"
  cargo install -q geckodriver --version 0.37.1 --locked
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

#!/usr/bin/env node
// `npx rolegate …`: the command-line tool for Node, no Rust needed. The subcommands (keygen, sign,
// verify, inspect, explain, lint, types) are the native tool's own Rust code, run in the issuer's wasm
// build; this file only hands it the arguments and Node's files, stdin and random source, and prints
// what it returns. `serve` (the demo server) is in the native tool only.
import * as fs from 'node:fs';
import { init } from './issuer.js';
import { runCli } from './rolegate_issuer_bg.js';

// What the Rust side calls (src/wasm/cli.rs). A throw is caught there and reported by its `code`
// (ENOENT, EACCES, EEXIST, EISDIR) exactly as the native tool reports the same failure.
const host = {
  /** The bytes of `path`, or of stdin for `-`. */
  read: (path) => fs.readFileSync(path === '-' ? 0 : path),
  /** Whether anything, even a dangling symlink, is at `path`. */
  exists(path) {
    try {
      fs.lstatSync(path);
      return true;
    } catch {
      return false;
    }
  },
  /** A new file (`wx`: never through a symlink), after removing what is there when `replace`. */
  create(path, text, replace, secret) {
    if (replace) {
      try {
        fs.unlinkSync(path);
      } catch (e) {
        if (e?.code !== 'ENOENT') throw e;
      }
    }
    const fd = fs.openSync(path, 'wx', secret ? 0o600 : 0o666);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  /** 32 bytes for a new key's secret. */
  seed: () => globalThis.crypto.getRandomValues(new Uint8Array(32)),
};

await init();
const [code, stdout, stderr] = runCli(process.argv.slice(2), host);
process.stdout.write(stdout);
if (stderr) process.stderr.write(`${stderr}\n`);
process.exitCode = code;

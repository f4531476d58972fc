// Writes each workload's rolegate policy and user to bench/out/, compiles and signs them with the Rust
// side (`cargo run --example bench_sign`), and returns the fixtures the harness runs on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { generate } from './workload.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'bench', 'out');

/** The fixture of workload `name`: the generated model plus `{ jwks, now, token }` signed by Rust. */
export function prepare(name) {
  const w = generate(name);
  mkdirSync(OUT, { recursive: true });
  const policyFile = join(OUT, `${name}.policy.json`);
  const usersFile = join(OUT, `${name}.users.json`);
  const signedFile = join(OUT, `${name}.signed.json`);
  const policy = JSON.stringify(w.policy, null, 1);
  const users = JSON.stringify(w.users);
  const unchanged = existsSync(signedFile) && existsSync(policyFile) && readFileSync(policyFile, 'utf8') === policy &&
    readFileSync(usersFile, 'utf8') === users && statSync(signedFile).mtimeMs > statSync(join(ROOT, 'Cargo.lock')).mtimeMs;
  if (!unchanged) {
    writeFileSync(policyFile, policy);
    writeFileSync(usersFile, users);
    const out = execFileSync('cargo', ['run', '-q', '--locked', '--example', 'bench_sign', '--', policyFile, usersFile],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
    writeFileSync(signedFile, out);
  }
  const signed = JSON.parse(readFileSync(signedFile, 'utf8'));
  return { ...w, jwks: signed.jwks, now: signed.now, token: signed.tokens.bench };
}

/** The parts of a fixture a browser page needs (JSON only: no functions). */
export function portable(w) {
  return {
    name: w.name, spec: w.spec, routes: w.routes, appMenu: w.appMenu, caslRules: w.caslRules, cedar: w.cedar,
    questions: w.questions, jwks: w.jwks, now: w.now, token: w.token,
    expected: expectations(w),
  };
}

/** Every expected answer, computed from the model. */
export function expectations(w) {
  const q = w.questions;
  return {
    keys: q.checkKeys.map((k) => w.expect.key(k)),
    own: w.expect.record(q.own),
    other: w.expect.record(q.other),
    routes: q.routePaths.map((p) => w.expect.route(p)),
    mask: w.expect.mask(),
    filter: w.expect.filter(),
    menu: w.expect.menu(),
  };
}

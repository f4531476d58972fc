// `npx rolegate` (the package's bin: the native CLI's code in the issuer's wasm) against the native
// `rolegate` binary: the same stdout, stderr and exit code for every subcommand, good input and bad.
// Runs in the consumer project (the tarball installed); ROLEGATE_BIN is the native CLI and
// ROLEGATE_ROOT the repository (for the example policies).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = process.env.ROLEGATE_ROOT;
const policy = join(root, 'examples/policies/neptunecrm.json');
const users = join(root, 'examples/policies/neptunecrm.users.json');
// What `npx rolegate` runs: the bin npm linked from the package's `bin` entry.
const bin = join(process.cwd(), 'node_modules', '.bin', 'rolegate');

/** Runs `args` with both tools in two fresh folders holding `files`; returns both results. */
function both(args, { files = {}, input } = {}) {
  const run = (cmd, pre) => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-parity-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(cmd, [...pre, ...args], { cwd: dir, encoding: 'utf8', input });
    return { dir, code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const native = run(process.env.ROLEGATE_BIN, []);
  const node = run(bin, []);
  return { native, node };
}

/** Both tools give the same output and exit code; returns the native result. */
function same(args, options, expectCode) {
  const { native, node } = both(args, options);
  assert.equal(node.stderr, native.stderr, `stderr of ${args.join(' ')}`);
  assert.equal(node.stdout, native.stdout, `stdout of ${args.join(' ')}`);
  assert.equal(node.code, native.code, `exit code of ${args.join(' ')}`);
  if (expectCode !== undefined) assert.equal(native.code, expectCode, `${args.join(' ')}: ${native.stderr}`);
  return { native, node };
}

// A fixed key and clock, so that both tools sign the same token.
const seedJwk = JSON.parse(spawnSync(process.env.ROLEGATE_BIN, ['keygen', '--kid', 'parity'], { encoding: 'utf8' }).stdout);
const key = JSON.stringify(seedJwk.private_jwk);
const jwks = JSON.stringify(seedJwk.jwks);
const now = '1800000000';
const sign = ['sign', '--key', 'key.json', '--aud', 'app', '--now', now, '--policy', policy, '--users', users, '--user-id', 'consultant'];
const token = spawnSync(process.env.ROLEGATE_BIN, sign, { encoding: 'utf8', cwd: (() => {
  const d = mkdtempSync(join(tmpdir(), 'rg-key-'));
  writeFileSync(join(d, 'key.json'), key);
  return d;
})() }).stdout.trim();

test('sign: the same token from the same key, user and time', () => {
  const { native } = same(sign, { files: { 'key.json': key } }, 0);
  assert.equal(native.stdout.trim(), token);
  same([...sign, '--json'], { files: { 'key.json': key } }, 0);
  same(['sign', '--key', 'missing.json', '--aud', 'app', '--policy', policy, '--users', users, '--user-id', 'consultant'], {}, 1);
  same([...sign.slice(0, -1), 'nobody'], { files: { 'key.json': key } }, 1);
});

test('verify and inspect: readable body and times; refused tokens exit 3', () => {
  same(['verify', token, '--jwks', 'jwks.json', '--aud', 'app', '--now', now], { files: { 'jwks.json': jwks } }, 0);
  same(['verify', '-', '--jwks', 'jwks.json', '--aud', 'app', '--now', now, '--json'],
    { files: { 'jwks.json': jwks }, input: `${token}\n` }, 0);
  same(['verify', '@t', '--jwks', 'jwks.json', '--aud', 'other', '--now', now], { files: { 'jwks.json': jwks, t: token } }, 3);
  same(['verify', token, '--jwks', 'jwks.json', '--aud', 'app', '--now', '1900000000', '--json'], { files: { 'jwks.json': jwks } }, 3);
  same(['verify', `${token}x`, '--jwks', 'jwks.json', '--aud', 'app', '--now', now], { files: { 'jwks.json': jwks } }, 3);
  same(['inspect', token], {}, 0);
  same(['inspect', 'not.a.token', '--json'], {}, 3);
  // A file named without `@`: an error that says to write `@t`, not a `malformed` token.
  const { native } = same(['verify', 't', '--jwks', 'jwks.json', '--aud', 'app'], { files: { 'jwks.json': jwks, t: token } }, 1);
  assert.match(native.stderr, /`t` is a file, not a token; to read the token from it, write `@t`/);
  same(['inspect', 't', '--json'], { files: { t: token } }, 1);
});

test('explain: allow exits 0, deny exits 2, with the same reasons', () => {
  const subject = ['--policy', policy, '--users', users, '--user-id', 'consultant', '--now', now];
  same(['explain', ...subject, '--key', 'page.dashboard.view'], {}, 0);
  same(['explain', ...subject, '--route', '/settings', '--json'], {});
  same(['explain', ...subject, '--key', 'page.dashboard.viw'], {}, 2);
  same(['explain', '--token', token, '--jwks', 'jwks.json', '--aud', 'app', '--now', now, '--key', 'page.dashboard.view'],
    { files: { 'jwks.json': jwks } }, 0);
});

test('may: administration answers exit 0 (allow) or 2 (deny); refused input exits 3, bad arguments 1', () => {
  const actor = ['--policy', policy, '--users', users, '--user-id', 'admin'];
  same(['may', ...actor, '--set', 'canViewCosts', '--target', 'consultant', '--value', 'false'], {}, 0);
  same(['may', ...actor, '--set', 'canViewCosts', '--target', 'coordinator', '--value', 'true', '--json'], {}, 2);
  same(['may', ...actor, '--assign', 'consultant', '--target', 'target.json'], { files: { 'target.json': '{"id": "n", "roles": [], "tenant": "org-1"}' } }, 0);
  same(['may', ...actor, '--edit', 'consultant', '--draft', '-'], { input: '{"allow": ["page.dashboard.view"]}' }, 2);
  same(['may', ...actor, '--set', 'colour', '--target', 'consultant', '--value', '"#fff"', '--json'], {}, 3);
  same(['may', ...actor, '--set', 'color', '--target', 'consultant', '--value', 'red'], {}, 1);
  same(['may', ...actor, '--set', 'color', '--target', 'missing.json', '--value', '"red"'], {}, 1);
  same(['may', '--help'], {}, 0);
});

test('lint and types: problems with pointers exit 3; types printed or written', () => {
  same(['lint', policy], {}, 0);
  const bad = JSON.parse(readFileSync(policy, 'utf8'));
  bad.inherit = true;
  bad.roles[Object.keys(bad.roles)[0]].inherits = 'no-such-role';
  const files = { 'bad.json': JSON.stringify(bad) };
  same(['lint', 'bad.json'], { files }, 3);
  same(['lint', 'bad.json', '--json'], { files }, 3);
  same(['lint', '-'], { input: JSON.stringify(bad) }, 3);
  same(['types', policy], {}, 0);
  same(['types', 'bad.json'], { files }, 3);
  const { native, node } = same(['types', policy, '--out', 'p.d.ts'], { files: { 'p.d.ts': 'old' } }, 0);
  assert.equal(readFileSync(join(node.dir, 'p.d.ts'), 'utf8'), readFileSync(join(native.dir, 'p.d.ts'), 'utf8'));
});

test('keygen: new files, the private ones readable by their owner only, never overwritten unasked', () => {
  const args = ['keygen', '--kid', 'k1', '--private', 'k.jwk', '--jwks', 'pub.json', '--pem', 'k.pem'];
  const { native, node } = same(args, {}, 0);
  for (const r of [native, node]) {
    for (const f of ['k.jwk', 'k.pem']) assert.equal(statSync(join(r.dir, f)).mode & 0o777, 0o600, f);
    const pub = JSON.parse(readFileSync(join(r.dir, 'pub.json'), 'utf8'));
    assert.equal(pub.keys[0].kid, 'k1');
  }
  // Different random keys, each tool's own.
  assert.notEqual(readFileSync(join(native.dir, 'k.jwk'), 'utf8'), readFileSync(join(node.dir, 'k.jwk'), 'utf8'));
  same(args, { files: { 'pub.json': '{}' } }, 1);
  same([...args, '--json'], { files: { 'k.pem': 'x' } }, 1);
  same(['keygen', '--kid', '', '--json'], {}, 1);
  const forced = same([...args, '--force'], { files: { 'k.jwk': 'old' } }, 0);
  assert.match(readFileSync(join(forced.node.dir, 'k.jwk'), 'utf8'), /"kty":"OKP"/);
});

test('bad arguments and unreadable files: exit 1 with the same message', () => {
  same(['frobnicate'], {}, 1);
  same(['lint'], {}, 1);
  same(['lint', 'missing.json'], {}, 1);
  same(['lint', 'missing.json', '--json'], {}, 1);
  same(['lint', '.'], {}, 1);
  same(['lint', 'latin1.json'], { files: { 'latin1.json': Buffer.from([0x7b, 0xe9, 0x7d]) } }, 1);
  same(['--version'], {}, 0);
  same(['lint', '--help'], {}, 0);
});

test('npx rolegate runs the package bin', () => {
  const r = spawnSync('npx', ['--no-install', 'rolegate', '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, spawnSync(process.env.ROLEGATE_BIN, ['--version'], { encoding: 'utf8' }).stdout);
});

// Interop with the JOSE stacks back ends already use: Node `jose` and Python PyJWT + cryptography.
// Tokens they sign verify in rolegate; tokens the rolegate CLI signs verify in them; key rotation
// works both ways, and a removed key's tokens are refused everywhere.
// Runs in the consumer project (rolegate and jose installed from the registry/tarball);
// ROLEGATE_BIN is the CLI, PYJWT_TOOL the Python helper.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import { init, Gate } from 'rolegate';

const BIN = process.env.ROLEGATE_BIN;
const PY = process.env.PYJWT_TOOL;
const dir = mkdtempSync(join(tmpdir(), 'rolegate-interop-'));
const AUD = 'interop-app';
// The compact body format (what the compiler writes): key table, allowed and denied indices.
const body = { v: 1, k: ['page.*', 'page.admin'], g: [0], d: [1] };
const now = () => Math.floor(Date.now() / 1000);
const claims = (sub) => ({ sub, aud: AUD, iat: now(), exp: now() + 300, rev: 1, tid: 'acme', rg: body });

const py = (...args) => spawnSync('python3', [PY, ...args], { encoding: 'utf8' });
const cli = (...args) => execFileSync(BIN, args, { encoding: 'utf8' }).trim();

before(async () => { await init(); });

function gate(keys) {
  return new Gate({ keys: { keys }, audience: AUD });
}

test('a snapshot signed by Node jose (EdDSA) verifies in rolegate', async () => {
  const { privateKey, publicKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'jose-1' };
  const token = await new jose.SignJWT(claims('from-jose'))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'rolegate+jwt', kid: 'jose-1' })
    .sign(privateKey);
  const g = gate([jwk]);
  assert.equal(g.load(token).subject, 'from-jose');
  assert.equal(g.can('page.jobs.view'), true);
  assert.equal(g.check('page.admin').code, 'explicit_deny');
});

test('a snapshot signed by Python PyJWT verifies in rolegate', () => {
  const keys = JSON.parse(py('keygen', 'py-1').stdout);
  const signed = py('sign', JSON.stringify(keys.private), JSON.stringify(claims('from-python')));
  assert.equal(signed.status, 0, signed.stderr);
  const g = gate([keys.public]);
  assert.equal(g.load(signed.stdout.trim()).subject, 'from-python');
  assert.equal(g.can('page.jobs.view'), true);
});

function rolegateKeys(kid) {
  const privateFile = join(dir, `${kid}.jwk`), jwksFile = join(dir, `${kid}.jwks`);
  cli('keygen', '--kid', kid, '--private', privateFile, '--jwks', jwksFile, '--force');
  const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
  return { kid, privateFile, jwk: jwks.keys[0] };
}

function cliSign(key, sub) {
  return cli('sign', '--key', key.privateFile, '--sub', sub, '--aud', AUD, '--tid', 'acme', '--rev', '1', '--body', JSON.stringify(body));
}

async function joseVerify(jwks, token) {
  const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks), {
    audience: AUD, typ: 'rolegate+jwt', algorithms: ['EdDSA'],
  });
  return { payload, protectedHeader };
}

test('a rolegate-signed snapshot verifies in jose and in PyJWT', async () => {
  const key = rolegateKeys('rg-1');
  const token = cliSign(key, 'from-rolegate');
  const jwks = { keys: [key.jwk] };
  const { payload, protectedHeader } = await joseVerify(jwks, token);
  assert.equal(payload.sub, 'from-rolegate');
  assert.deepEqual(payload.rg, body);
  assert.equal(protectedHeader.kid, 'rg-1');
  const v = py('verify', JSON.stringify(jwks), token, AUD);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(JSON.parse(v.stdout).claims.sub, 'from-rolegate');
  assert.equal(JSON.parse(v.stdout).typ, 'rolegate+jwt');
});

test('rotation: old and new keys both verify everywhere; a removed key is refused everywhere', async () => {
  const [oldKey, newKey] = [rolegateKeys('2026-10'), rolegateKeys('2026-11')];
  const both = { keys: [oldKey.jwk, newKey.jwk] };
  const onlyNew = { keys: [newKey.jwk] };
  const oldToken = cliSign(oldKey, 'alice'), newToken = cliSign(newKey, 'alice');
  for (const t of [oldToken, newToken]) {
    assert.equal(gate(both.keys).load(t).subject, 'alice');
    assert.equal((await joseVerify(both, t)).payload.sub, 'alice');
    assert.equal(py('verify', JSON.stringify(both), t, AUD).status, 0);
  }
  assert.equal(gate(onlyNew.keys).load(newToken).subject, 'alice');
  assert.throws(() => gate(onlyNew.keys).load(oldToken), { code: 'unknown_kid' });
  await assert.rejects(joseVerify(onlyNew, oldToken), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  assert.equal(py('verify', JSON.stringify(onlyNew), oldToken, AUD).status, 3);
});

test('jose refuses what rolegate refuses: a token tampered by one character', async () => {
  const key = rolegateKeys('rg-2');
  const token = cliSign(key, 'alice');
  const i = token.indexOf('.') + 5;
  const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
  assert.throws(() => gate([key.jwk]).load(tampered), (e) => ['bad_signature', 'malformed'].includes(e.code));
  await assert.rejects(joseVerify({ keys: [key.jwk] }, tampered));
  assert.equal(py('verify', JSON.stringify({ keys: [key.jwk] }), tampered, AUD).status, 3);
});

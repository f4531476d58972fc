// A minimal JOSE signer on Node's built-in crypto (Ed25519), so the tests need no rolegate code to
// make tokens: what verifies here was signed by an independent implementation.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';

const b64u = (data) => Buffer.from(data).toString('base64url');

/** A fresh Ed25519 key pair: `{ kid, privateKey, jwk }` (jwk is the public JWK). */
export function keyPair(kid = 'test-key') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'EdDSA' };
  return { kid, privateKey, jwk };
}

/** The key pair for a private JWK (`{ kty, crv, d, x, kid }`). */
export function fromPrivateJwk(jwk) {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const { d, ...pub } = jwk;
  return { kid: jwk.kid, privateKey, jwk: pub };
}

/** A JWKS document with the public keys of `pairs`. */
export const jwks = (...pairs) => ({ keys: pairs.map((p) => p.jwk) });

/** Signs `claims` (an object) as a compact JWS; `header` fields override the defaults. */
export function signToken(pair, claims, header = {}) {
  const h = b64u(JSON.stringify({ alg: 'EdDSA', typ: 'rolegate+jwt', kid: pair.kid, ...header }));
  const p = b64u(typeof claims === 'string' ? claims : JSON.stringify(claims));
  const sig = sign(null, Buffer.from(`${h}.${p}`), pair.privateKey);
  return `${h}.${p}.${b64u(sig)}`;
}

/**
 * A permission body (the `rg` claim) that allows `allow` and denies `deny` (keys or patterns) for
 * every record, in the compact format the compiler writes: a key table `k`, allowed indices `g`,
 * denied indices `d`.
 */
export function body(allow = [], deny = []) {
  const k = [...allow, ...deny];
  return { v: 1, k, g: allow.map((_, i) => i), d: deny.map((_, i) => allow.length + i) };
}

/** Claims for `sub` valid for `ttl` seconds from `now`, with body `rg`. */
export function claims({ sub = 'alice', aud = 'demo', now = Date.now() / 1000, ttl = 600, rev = 1, rg = body(['page.*']), ...rest } = {}) {
  return { sub, aud, iat: Math.floor(now), exp: Math.floor(now) + ttl, rev, rg, ...rest };
}

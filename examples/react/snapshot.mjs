// The example's own server side, run before `npm run dev` and `npm run build`: signs a snapshot for a
// sample user of the NeptuneCRM policy that ships with rolegate, with a key made for this run, and
// writes what the page fetches to public/rolegate-fixture.json. A real app's server does this for
// each signed-in user and serves its public key set (docs/issuing.md, docs/walkthrough.md).
// `node snapshot.mjs coordinator` signs for another sample user (node_modules/rolegate/examples/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { init, Compiler, SigningKey, jwks } from 'rolegate/issuer';

const shipped = (name) => readFileSync(new URL(import.meta.resolve(`rolegate/examples/${name}`)), 'utf8');
await init();
const who = process.argv[2] ?? 'consultant';
const users = JSON.parse(shipped('neptunecrm.users.json'));
const user = users[who];
if (!user) throw new Error(`no sample user \`${who}\`; there are: ${Object.keys(users).join(', ')}`);
const audience = 'example-react';
const key = SigningKey.generate('example-react');
const token = new Compiler(shipped('neptunecrm.json')).issue(user, key, { audience, ttl: 3600 });
// A forged copy, for the page to show that it is refused: the payload claims another user, the
// signature is the original's.
const [header, payload, signature] = token.split('.');
const forged = { ...JSON.parse(Buffer.from(payload, 'base64url')), sub: 'u-admin' };
const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
mkdirSync('public', { recursive: true });
writeFileSync('public/rolegate-fixture.json', JSON.stringify({ audience, jwks: jwks(key), token, tampered }));
console.log(`public/rolegate-fixture.json: a snapshot for ${user.name} (${user.roles.join(', ')}), valid for an hour`);

// Shared by the toolchain tests: where the packed tarball is, a signed fixture, a static file server
// on a free 127.0.0.1 port, and running commands with their output kept for the failure message.
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { body as grants, claims, jwks, keyPair, signToken } from '../js/node-signer.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
/** Where scripts/toolchains.sh packs the tarball and installs every example. */
export const WORK = resolve(ROOT, process.env.TOOLCHAINS_DIR ?? 'target/toolchains');

/** The packed tarball `rolegate-<version>.tgz` in WORK (exactly one). */
export function tarball() {
  const found = readdirSync(WORK).filter((f) => /^rolegate-.*\.tgz$/.test(f));
  if (found.length !== 1) throw new Error(`expected one rolegate-*.tgz in ${WORK}, found ${found.length}: run scripts/toolchains.sh`);
  return join(WORK, found[0]);
}

/**
 * A snapshot signed now with node:crypto for audience `toolchains`, the JWKS that verifies it, and a
 * tampered copy: the payload rewritten to also allow `page.admin`, the signature kept.
 */
export function fixture() {
  const key = keyPair('toolchains-key');
  const audience = 'toolchains';
  // The compact body format the compiler writes (key table, allowed and denied indices).
  const body = claims({ sub: 'alice', aud: audience, rg: grants(['page.*'], ['page.admin']) });
  const token = signToken(key, body);
  const [header, , signature] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...body, rg: grants(['page.*']) })).toString('base64url');
  return { audience, jwks: jwks(key), token, tampered: `${header}.${forged}.${signature}` };
}

/** What every example app reports for `fixture()`: a real decision each way and the forgery refused. */
export const EXPECTED = { subject: 'alice', jobs: true, admin: false, adminCode: 'explicit_deny', tampered: 'bad_signature' };

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.css': 'text/css' };

/**
 * Serves the files under `root` on 127.0.0.1 (a free port), and `routes`, a map from a path to a
 * function that answers it with `{ type, body }`; resolves to `{ url, close() }`.
 */
export async function serve(root, routes = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (Object.hasOwn(routes, path)) {
      const { type, body } = routes[path]();
      return void res.writeHead(200, { 'content-type': type }).end(body);
    }
    let file = resolve(base, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (file !== base && !file.startsWith(base + sep)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

const exec = promisify(execFile);

/** Runs `cmd args` in `cwd`; resolves to its stdout, or rejects with its exit code and whole output. */
export async function run(cmd, args, cwd, options = {}) {
  try {
    const { stdout } = await exec(cmd, args, { cwd, maxBuffer: 64 << 20, ...options });
    return stdout;
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${e.code}\n${e.stdout}\n${e.stderr}`);
  }
}

/** Fresh npm project dir for an example: installs its locked dependencies and the packed tarball. */
export async function install(dir) {
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball()], dir);
}

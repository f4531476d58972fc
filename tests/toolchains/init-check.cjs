// Run by sources.test.mjs in a project with the packed rolegate installed:
//   node init-check.cjs import|require SOURCE [http-base-url]
// Loads rolegate with `import` or `require`, calls init() with the wasm given as SOURCE, and prints
// what a gate then decides for the fixture in ./rolegate-fixture.json, or the error init() gave.
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

const [how, source, base] = process.argv.slice(2);
const file = pathToFileURL(require.resolve('rolegate/rolegate_bg.wasm'));
const bytes = () => readFileSync(file);
const SOURCES = {
  'default': () => undefined,
  'file URL': () => file,
  'file URL string': () => file.href,
  'http URL': () => new URL('node_modules/rolegate/rolegate_bg.wasm', base),
  'Uint8Array': () => new Uint8Array(bytes()),
  'ArrayBuffer': () => new Uint8Array(bytes()).buffer,
  'Response': () => new Response(bytes(), { headers: { 'content-type': 'application/wasm' } }),
  'Promise<Response>': () => fetch(new URL('node_modules/rolegate/rolegate_bg.wasm', base)),
  'WebAssembly.Module': () => new WebAssembly.Module(bytes()),
  // Failures: each must reject with a clear message and leave the package uninitialised.
  'missing file': () => new URL('missing.wasm', file),
  'relative path': () => 'rolegate_bg.wasm',
  'HTTP 404': () => new URL('missing.wasm', base),
  'not wasm': () => Buffer.from('not wasm'),
  'a number': () => 42,
};

async function main() {
  const rolegate = how === 'require' ? require('rolegate') : await import('rolegate');
  const { init, ready, Gate, RolegateError } = rolegate;
  const { audience, jwks, token, tampered } = JSON.parse(readFileSync('rolegate-fixture.json', 'utf8'));
  try {
    await init(SOURCES[source]());
  } catch (e) {
    const notReady = (() => { try { new Gate({ keys: jwks, audience }); return 'created'; } catch (g) { return g.code; } })();
    return { error: `${e.name}: ${e.message}`, ready: ready(), notReady };
  }
  const gate = new Gate({ keys: jwks, audience });
  gate.load(token);
  let refused;
  try { gate.load(tampered); } catch (e) { refused = e instanceof RolegateError ? e.code : String(e); }
  return { ready: ready(), jobs: gate.can('page.jobs.view'), admin: gate.can('page.admin'), tampered: refused };
}

main().then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exitCode = 1; });

// Writes pkg/package.json (version and metadata from Cargo.toml) and copies the README and licences.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'pkg';
const toml = readFileSync('Cargo.toml', 'utf8');
const field = (k) => toml.match(new RegExp(`^${k}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
// The seed products' example policies and sample users, and the policy schema, ship with the package, so
// that the README's quick start runs with nothing but Node and `npm install rolegate`.
mkdirSync(join(dir, 'examples'), { recursive: true });
for (const f of readdirSync('examples/policies').filter((f) => f.endsWith('.json'))) {
  copyFileSync(join('examples/policies', f), join(dir, 'examples', f));
}
copyFileSync('schema/policy.schema.json', join(dir, 'policy.schema.json'));
const files = readdirSync(dir).filter((f) => f !== 'package.json');

const pkg = {
  name: 'rolegate',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['rbac', 'permissions', 'authorization', 'wasm', 'jws', 'jwt'],
  type: 'module',
  // `import` (browsers, bundlers, Node ESM, SSR) gets the ES modules, whose `new URL('./rolegate_bg.wasm',
  // import.meta.url)` bundlers understand; `require` gets the CommonJS build from scripts/cjs.mjs. The
  // .wasm files are exported for apps that host them themselves (e.g. esbuild's `file` loader, Vite's `?url`).
  // `./react` is one ES module for every condition (Node's require() loads it too): a second, CommonJS
  // copy would hold a second React context, so a provider from one copy would be invisible to the other.
  exports: {
    '.': {
      import: { types: './index.d.ts', default: './index.js' },
      require: { types: './index.d.cts', default: './index.cjs' },
    },
    // The Node issuer (compile, sign, lint, keys): ES module only, a second wasm build browsers never load.
    './issuer': {
      import: { types: './issuer.d.ts', default: './issuer.js' },
    },
    // The request guard for Node back ends (401 / 403, query plans): ES module only, over the planner
    // module and the issuer build.
    './server': {
      import: { types: './server.d.ts', default: './server.js' },
    },
    // Test kit for applications' own tests (Node: key pairs, test snapshots, assertions, Playwright).
    './testing': {
      import: { types: './testing.d.ts', default: './testing.js' },
    },
    './react': { types: './react.d.ts', default: './react.js' },
    './rolegate_bg.wasm': './rolegate_bg.wasm',
    './rolegate_query_bg.wasm': './rolegate_query_bg.wasm', // the planner module, `init({ query: true })`
    // Example policies (`rolegate/examples/neptunecrm.json`, `….users.json`) and the policy schema.
    './examples/*': './examples/*',
    './policy.schema.json': './policy.schema.json',
    './package.json': './package.json',
  },
  // For tools that predate `exports`.
  main: './index.cjs',
  module: './index.js',
  types: './index.d.ts',
  // `npx rolegate keygen|sign|verify|inspect|explain|lint|types`: the native CLI's code in the issuer's wasm.
  bin: { rolegate: './cli.js' },
  files: [...new Set([...files, 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'])].sort(),
  sideEffects: false,
  // Only rolegate/react needs React; apps without React install nothing more.
  peerDependencies: { react: '^18.0.0 || ^19.0.0' },
  peerDependenciesMeta: { react: { optional: true } },
  engines: { node: '>=20.16' },
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
for (const f of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(f, join(dir, f));

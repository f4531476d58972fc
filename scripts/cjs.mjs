// Writes the package's CommonJS entry for `require('rolegate')` in Node: pkg/index.cjs, bundled by esbuild
// from the ES modules already in pkg/ (no second copy of any logic), and its types pkg/index.d.cts.
// `import.meta.url` becomes the file URL of index.cjs, so init() finds rolegate_bg.wasm next to it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const dir = process.argv[2] ?? 'pkg';
const NOTE = 'The CommonJS build of rolegate, generated from index.js by scripts/cjs.mjs; do not edit.';

await build({
  entryPoints: [join(dir, 'index.js')],
  outfile: join(dir, 'index.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.url': '__rolegate_module_url' },
  // No static `require('node:url')`: a bundler that meets this file must not need a Node polyfill.
  banner: {
    js: `// ${NOTE}\n` +
      "const __rolegate_module_url = typeof __filename === 'string' && globalThis.process?.getBuiltinModule\n" +
      "  ? process.getBuiltinModule('node:url').pathToFileURL(__filename).href : undefined;",
  },
});

const types = readFileSync(join(dir, 'index.d.ts'), 'utf8');
writeFileSync(join(dir, 'index.d.cts'), `// ${NOTE}\n${types}`);

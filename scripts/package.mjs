// Writes pkg/package.json (version and metadata from Cargo.toml) and copies the README and licences.
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'pkg';
const toml = readFileSync('Cargo.toml', 'utf8');
const field = (k) => toml.match(new RegExp(`^${k}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
const files = readdirSync(dir).filter((f) => f !== 'package.json');

const pkg = {
  name: 'rolegate',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['rbac', 'permissions', 'authorization', 'wasm', 'jws', 'jwt'],
  type: 'module',
  main: './index.js',
  types: './index.d.ts',
  exports: {
    '.': { types: './index.d.ts', default: './index.js' },
    './rolegate_bg.wasm': './rolegate_bg.wasm',
    './package.json': './package.json',
  },
  files: [...files, 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'],
  sideEffects: false,
  engines: { node: '>=20.16' },
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
for (const f of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(f, join(dir, f));

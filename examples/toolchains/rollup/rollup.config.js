// Rollup needs node-resolve to find packages in node_modules at all, and nothing for the .wasm: rolegate
// loads `new URL('./rolegate_bg.wasm', import.meta.url)`, which is next to the bundle once copied there.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nodeResolve } from '@rollup/plugin-node-resolve';

mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('rolegate/rolegate_bg.wasm'), 'dist/rolegate_bg.wasm');

export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve()],
};

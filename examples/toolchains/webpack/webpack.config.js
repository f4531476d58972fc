// No loader or plugin for the .wasm: webpack 5 sees `new URL('./rolegate_bg.wasm', import.meta.url)`
// inside rolegate, emits the file as an asset and rewrites the URL.
import { resolve } from 'node:path';

export default {
  mode: 'production',
  entry: './src/main.js',
  output: { path: resolve(import.meta.dirname, 'dist'), filename: 'main.js', clean: true },
};

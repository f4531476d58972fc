import { prepare, portable } from './prepare.mjs';
import { LIBRARIES } from './libs.mjs';
import * as rolegate from '../pkg/index.js';
import * as casl from '@casl/ability';
import * as caslExtra from '@casl/ability/extra';
await rolegate.init();
const w = portable(prepare('W1'));
const m = { rolegate, casl, caslExtra };
const o = { casl: LIBRARIES.casl(m, w), rolegate: LIBRARIES.rolegate(m, w) };
for (let rep = 0; rep < 3; rep++) for (const [name, n] of [['menu', 300], ['route', 3000], ['mask', 3000], ['keyAllow', 100000]]) for (const lib of ['casl', 'rolegate']) {
  const fn = name === 'menu' ? () => o[lib].menu(w.appMenu) : name === 'route' ? () => o[lib].route(w.questions.routeAllow) : name === 'mask' ? () => o[lib].mask(w.questions.record) : () => o[lib].keyAllow();
  const t0 = performance.now(); for (let i = 0; i < n; i++) fn(); const t = performance.now() - t0;
  if (rep === 2) console.log(lib, name, (t * 1e6 / n).toFixed(0), 'ns');
}

// The hostile-caller suite (issue 22), shared by Node (hostile.test.mjs, with WebAssembly and with
// wasm2js) and the browser page (browser-page.mjs): every public method of Gate called with values an
// app, a library or an attacker may hand it — revoked and throwing Proxies, throwing getters and index
// getters, cyclic and huge sparse arrays, frozen objects, non-strings for strings, and getters that
// re-enter the gate with load/clear/free. Each call must return (a deny) or throw a RolegateError;
// afterwards the same gate clears and reloads, a fresh gate answers correctly, nothing was granted that
// `{}` would not get, and wasm memory stays under a bound.

/** Values that throw or misbehave when read, each made fresh (some are single-use). */
export function hostileValues(gateRef) {
  const revoked = () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  };
  const boom = () => {
    throw new Error('boom');
  };
  const traps = new Proxy({}, {
    get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, apply: boom,
    defineProperty: boom, set: boom, deleteProperty: boom, isExtensible: boom, preventExtensions: boom,
  });
  const getter = Object.defineProperty({}, 'organisationId', { get: boom, enumerable: true });
  const indexGetter = Object.defineProperty([], 0, { get: boom, enumerable: true });
  const cyclic = [];
  cyclic.push(cyclic, cyclic);
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  const reenter = (what) => Object.defineProperty({ organisationId: 'org-1' }, 'consultantId', {
    enumerable: true,
    get() {
      const g = gateRef();
      if (what === 'load') g.load(gateRef.token);
      else if (what === 'clear') g.clear();
      else g.free();
      return 'u-cons';
    },
  });
  const stringish = (what) => ({ toString() { gateRef()[what]?.(); return 'page.customers.view'; } });
  return {
    'revoked Proxy': revoked,
    'Proxy whose traps throw': () => traps,
    'throwing getter': () => getter,
    'throwing index getter': () => indexGetter,
    'record field holding a revoked Proxy': () => ({ organisationId: revoked(), consultantId: revoked() }),
    'record field holding a throwing index getter': () => ({ organisationId: 'org-1', consultantId: indexGetter }),
    'cyclic array': () => cyclic,
    'record field holding a cyclic array': () => ({ organisationId: 'org-1', consultantId: cyclic }),
    'huge sparse array': () => sparse,
    'record field holding a huge sparse array': () => ({ organisationId: 'org-1', consultantId: sparse }),
    'frozen object': () => Object.freeze({ organisationId: 'org-1' }),
    'number': () => 42,
    'boolean': () => true,
    'Symbol': () => Symbol('s'),
    'BigInt': () => 10n,
    'function': () => () => 'x',
    'object with toString that clears': () => stringish('clear'),
    'getter that re-enters with load': () => reenter('load'),
    'getter that re-enters with clear': () => reenter('clear'),
    'getter that re-enters with free': () => reenter('free'),
  };
}

/** Every public call of a loaded gate, with `v` in each argument position. */
function calls(g, v) {
  return [
    () => g.load(v), () => g.revoke(v), () => g.revoke({ subject: v, rev: 1 }), () => g.revoke({ tenant: v, rev: 1 }),
    () => g.revoke({ subject: 'u-x', rev: v }), () => g.can(v), () => g.can('data.customer.edit', v),
    () => g.can('data.customer.view', v), () => g.canMany(v), () => g.canMany([v, 'page.customers.view']),
    () => g.id(v), () => g.canId(v), () => g.check(v), () => g.check('data.customer.edit', v), () => g.route(v),
    () => g.menu(v), () => g.menu([v]), () => g.menu([{ id: 'customers', children: v }]), () => g.fields(v),
    () => g.fields('customer', v), () => g.mask(v, {}), () => g.mask('proposal', v), () => g.filter(v, []),
    () => g.filter('customer', v), () => g.filter('customer', [v]), () => g.explain(v), () => g.explain({ key: v }),
    () => g.explain({ key: 'data.customer.edit', record: v }), () => g.explain({ route: v }),
    () => g.explain({ resource: 'customer', see: v }), () => g.setting(v), () => g.onChange(v), () => g.home(),
    () => g.platform(), () => g.keys(), () => g.status(), () => g.query(v), () => g.query('customer', v),
  ];
}

/**
 * Runs the suite: `Gate`, `RolegateError` and `memoryBytes` from the package, a NeptuneCRM fixture
 * (`{ jwks, now, tokens }`), and the number of rounds (each calls every method with every value).
 * Returns `{ calls, failures }`.
 */
export function runHostile({ Gate, RolegateError, memoryBytes }, fixture, rounds) {
  const failures = [];
  const options = { keys: fixture.jwks, audience: 'app', platform: 'web', now: () => fixture.now + 1 };
  const make = (user) => {
    const g = new Gate(options);
    g.load(fixture.tokens[user]);
    return g;
  };
  const expected = make('consultant');
  const keys = ['page.customers.view', 'page.admin.view', 'data.customer.edit', 'data.customer.view'];
  const answers = (g) => JSON.stringify([keys.map((k) => g.can(k)), g.route('/customers').allow, g.menu().length,
    g.fields('proposal').map((f) => f.allow), g.mask('proposal', { organisationId: 'org-1', cost: 5 }).value,
    g.platform().allow, g.keys()]);
  const want = answers(expected);
  let count = 0;
  let memory = 0;
  for (const family of Object.keys(hostileValues(null))) {
    let current = make('consultant');
    const ref = () => current;
    ref.token = fixture.tokens.consultant;
    const values = hostileValues(ref);
    for (let round = 0; round < rounds; round++) {
      for (const call of calls(current, values[family]())) {
        count++;
        let out;
        try {
          out = call();
        } catch (e) {
          if (!(e instanceof RolegateError)) failures.push(`${family}: ${call} threw ${e?.name}: ${e?.message}`);
          continue;
        }
        if (out === true && /can\('data/.test(String(call))) {
          // Granted on a hostile record: only if `{}` (no readable field) is granted too.
          const key = String(call).match(/can\('([^']+)'/)[1];
          if (!make('consultant').can(key, {})) failures.push(`${family}: ${call} granted`);
        }
      }
      if (family.endsWith('free')) current = make('consultant'); // the getter freed it: start again
    }
    // The same gate (unless freed) clears and reloads; then it answers as a fresh one does.
    try {
      current.clear();
      if (current.can('page.customers.view')) failures.push(`${family}: still granting after clear()`);
      current.load(fixture.tokens.consultant);
      if (answers(current) !== want) failures.push(`${family}: answers changed after clear and reload`);
      current.free();
    } catch (e) {
      if (!family.endsWith('free')) failures.push(`${family}: clear/reload threw ${e?.name}: ${e?.message}`);
    }
    const fresh = make('consultant');
    if (answers(fresh) !== want) failures.push(`${family}: a fresh gate answers differently`);
    fresh.free();
    memory = Math.max(memory, memoryBytes());
  }
  if (memory > 64 * 1024 * 1024) failures.push(`wasm memory grew to ${memory} bytes`);
  expected.free();
  return { calls: count, failures, memory };
}

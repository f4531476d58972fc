// rolegate/react: a provider, hooks and components over a Gate. The binding decides nothing: every
// answer comes from the gate, asked during render. It only re-renders when the snapshot in force
// changes (useSyncExternalStore over gate.onChange), and holds gated UI back while no snapshot is in
// force: before the first load, after clear(), on the server and while hydrating.
import { createContext, createElement, useContext, useEffect, useRef, useSyncExternalStore } from 'react';

const GateContext = createContext(null);

/**
 * What the hooks see on the server and during hydration: no snapshot in force. Server HTML therefore
 * never holds gated UI (nor depends on a user), and hydrates into the same markup on every client; the
 * first render after hydration shows what the client's gate allows. It is the status of a gate with
 * nothing loaded, which is also what a client renders first when its gate has nothing loaded yet.
 */
const SERVER = Object.freeze({
  status: Object.freeze({
    loaded: false, subject: null, tenant: null, rev: null, issuedAt: null, expiresAt: null, expiresIn: null,
    expired: false, inGrace: false, backend: 'wasm',
  }),
});
const serverState = () => SERVER;

/** One store per gate: the status at its last change, replaced (never mutated) on each change. */
const stores = new WeakMap();

function storeOf(gate) {
  let store = stores.get(gate);
  if (store === undefined) {
    const listeners = new Set();
    store = {
      state: { status: gate.status() },
      get: () => store.state,
      subscribe(fn) {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };
    gate.onChange((status) => {
      store.state = { status };
      for (const fn of listeners) fn();
    });
    stores.set(gate, store);
  }
  return store;
}

/** The gate from the provider and whether a snapshot is in force; re-renders on every change. */
function useGateState() {
  const gate = useContext(GateContext);
  if (gate === null) throw new Error('rolegate/react: a hook or component was used outside <RolegateProvider gate={gate}>');
  const store = storeOf(gate);
  const state = useSyncExternalStore(store.subscribe, store.get, serverState);
  return { gate, status: state.status, loaded: state.status.loaded === true };
}

/** Makes `gate` available to the hooks and components below it. */
export function RolegateProvider({ gate, children }) {
  if (gate === null || typeof gate !== 'object' || typeof gate.onChange !== 'function') {
    throw new TypeError('rolegate/react: <RolegateProvider> needs a `gate` prop: a Gate from rolegate');
  }
  return createElement(GateContext.Provider, { value: gate }, children);
}

/**
 * The gate from the provider, for event handlers and loaders; the component re-renders whenever the
 * snapshot in force changes. In render, prefer the hooks below: they render the pending state on the
 * server and while hydrating.
 */
export function useGate() {
  return useGateState().gate;
}

/** The gate's status as of the last change; `loaded` is false while pending (and on the server). */
export function useStatus() {
  return useGateState().status;
}

/** Whether the user may do `key` (on `record`, if given); false while no snapshot is in force. */
export function useCan(key, record) {
  const { gate, loaded } = useGateState();
  return loaded && gate.can(key, record);
}

/** The gate's decision for `key` (on `record`, if given), or null while no snapshot is in force. */
export function useCheck(key, record) {
  const { gate, loaded } = useGateState();
  return loaded ? gate.check(key, record) : null;
}

/** The gate's decision for opening `path` (`allow`, `redirect`, `code` …), or null while no snapshot is in force. */
export function useRoute(path) {
  const { gate, loaded } = useGateState();
  return loaded ? gate.route(path) : null;
}

/** The gate's filtered menu: the policy's, or copies of `tree`'s allowed nodes; empty while no snapshot is in force. */
export function useMenu(tree) {
  const { gate, loaded } = useGateState();
  return loaded ? gate.menu(tree) : [];
}

/** The gate's masked copy of `record` (`{ value, masked }`); `{ value: {}, masked: [] }` while no snapshot is in force. */
export function useMask(resource, record) {
  const { gate, loaded } = useGateState();
  return loaded ? gate.mask(resource, record) : { value: {}, masked: [] };
}

/** Each governed field of `resource` (on `record`, if given) with its decision; empty while no snapshot is in force. */
export function useFields(resource, record) {
  const { gate, loaded } = useGateState();
  return loaded ? gate.fields(resource, record) : [];
}

/** The records of `records` the user may see (the same objects, in order); empty while no snapshot is in force. */
export function useFilter(resource, records) {
  const { gate, loaded } = useGateState();
  return loaded ? gate.filter(resource, records) : [];
}

/**
 * The provider, hooks and components typed with the policy's keys `K` and resource types `R` (from
 * `rolegate types`), so that a misspelt key or resource is a compile error. At run time these are the
 * same functions as the module's exports: `const { Can, useCan, useMask } = createRolegateReact<PermissionKey, ResourceName>()`.
 */
export function createRolegateReact() {
  return { RolegateProvider, useGate, useStatus, useCan, useCheck, useRoute, useMenu, useMask, useFields, useFilter, Can, Guard };
}

/**
 * Renders `children` when the gate allows `I` (on `record`), `fallback` when it denies, and `pending`
 * while no snapshot is in force. `not` swaps children and fallback once a snapshot is in force.
 * `children` may be a function of the decision (null while pending); with `passThrough` it is always
 * rendered, to show a disabled control with the reason.
 */
export function Can({ I, record, not = false, passThrough = false, fallback = null, pending = null, children }) {
  const decision = useCheck(I, record);
  const render = () => (typeof children === 'function' ? children(decision) : children);
  if (passThrough) return render();
  if (decision === null) return pending;
  return decision.allow !== Boolean(not) ? render() : fallback;
}

/**
 * Renders `children` when the gate lets the user open `path`. When it does not, renders `fallback`
 * and calls `onDeny(decision)` once per decision, after rendering, so that the app can navigate to
 * `decision.redirect` (`'home'`, `'logout'` or a path). While no snapshot is in force it renders
 * `pending` and calls nothing: nobody is sent away before the snapshot is known.
 */
export function Guard({ path, onDeny, fallback = null, pending = null, children }) {
  const decision = useRoute(path);
  const latest = useRef(onDeny);
  useEffect(() => {
    latest.current = onDeny;
  });
  const denied = decision !== null && !decision.allow;
  const { code = null, redirect = null } = decision ?? {};
  useEffect(() => {
    if (denied) latest.current?.(decision);
    // Called again only when the denial itself changes, not on every render.
  }, [denied, code, redirect, path]);
  if (decision === null) return pending;
  return decision.allow ? children : fallback;
}

// The public Gate: a thin wrapper over the wasm gate. Every answer comes from wasm; this file only
// interns keys (so a repeated check does not re-encode its string), runs timers and calls listeners.
import { WasmGate } from './rolegate_bg.js';
import { RolegateError } from './error.js';
import { backendName, ready } from './load.js';

/** What `WasmGate.id` returns when the interning table is full: fall back to the string path. */
const NO_ID = 0xffffffff;
/** `GateOptions::clock_skew_sec`'s default in Rust (src/gate.rs), for the expiry timer only. */
const DEFAULT_CLOCK_SKEW_SEC = 60;
/** Longest timer browsers and Node accept (about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;
/** Options handled in wasm; `refreshAheadSec` is handled here. Anything else is a typo. */
const OPTIONS = new Set(['keys', 'audience', 'issuer', 'clockSkewSec', 'maxTokenBytes', 'now', 'platform', 'offlineGraceSec', 'refreshAheadSec']);

/** Calls each listener; one that throws is reported asynchronously and does not stop the others. */
function emit(listeners, value) {
  for (const fn of listeners) {
    try {
      fn(value);
    } catch (e) {
      queueMicrotask(() => { throw e; });
    }
  }
}

/** A timer that does not keep Node alive, `ms` from now (clamped to what timers accept). */
function later(ms, fn) {
  const timer = setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
  timer.unref?.();
  return timer;
}

function subscribe(set, fn) {
  if (typeof fn !== 'function') throw new RolegateError('bad_config', 'a listener must be a function');
  set.add(fn);
  return () => set.delete(fn);
}

/** Verifies signed role snapshots and answers permission checks from the one in force. */
export class Gate {
  #wasm;
  #ids = new Map();
  #refreshAheadSec;
  #timer = null;
  #expiry = null;
  #graceSec;
  #skewSec;
  #changes = new Set();
  #refreshes = new Set();
  #decisions = new Set();

  /** @param {import('./index.js').GateOptions} options */
  constructor(options) {
    if (!ready()) {
      throw new RolegateError('not_initialised', 'call `await init()` once before creating a Gate');
    }
    if (options !== null && typeof options === 'object') {
      const unknown = Object.keys(options).filter((k) => !OPTIONS.has(k));
      if (unknown.length) throw new RolegateError('bad_config', `unknown option \`${unknown[0]}\``);
    }
    const lead = options?.refreshAheadSec ?? 30;
    if (typeof lead !== 'number' || !(lead >= 0)) {
      throw new RolegateError('bad_config', '`refreshAheadSec` must be a number of seconds, 0 or more');
    }
    this.#refreshAheadSec = lead;
    // Only when the expiry timer fires: the wasm gate checked both options (and decides expiry).
    this.#graceSec = typeof options?.offlineGraceSec === 'number' ? options.offlineGraceSec : 0;
    this.#skewSec = typeof options?.clockSkewSec === 'number' ? options.clockSkewSec : DEFAULT_CLOCK_SKEW_SEC;
    this.#wasm = new WasmGate(options);
  }

  /** Verifies `token` and puts it in force; throws a RolegateError and keeps the previous snapshot if refused. */
  load(token) {
    this.#wasm.load(String(token));
    this.#changed();
    return this.status();
  }

  /** Drops the snapshot in force; every check is denied afterwards. */
  clear() {
    this.#wasm.clear();
    this.#changed();
  }

  /** Refuses snapshots of `subject` or `tenant` below `rev` from now on, the one in force included. */
  revoke({ subject, tenant, rev } = {}) {
    const dropped = this.#wasm.revoke(subject ?? undefined, tenant ?? undefined, rev);
    if (dropped) this.#changed();
    return dropped;
  }

  /** Whether the user may do `key` (on `record`, if given). False when nothing valid is loaded. */
  can(key, record) {
    if (typeof key !== 'string') return false;
    if (this.#decisions.size) return this.check(key, record).allow;
    if (record !== undefined) return this.#wasm.canRecord(key, record);
    const id = this.id(key);
    return id === NO_ID ? this.#wasm.can(key) : this.#wasm.canId(id);
  }

  /** Answers for a whole screen of keys in one call. */
  canMany(keys) {
    return this.#wasm.canMany(Array.from(keys));
  }

  /** A number for `key`, for `canId` on hot paths; the same key always gets the same id. */
  id(key) {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#wasm.id(key);
      if (id !== NO_ID) this.#ids.set(key, id);
    }
    return id;
  }

  /** The answer for an id from `id()`, from a table computed when the snapshot loaded. */
  canId(id) {
    return this.#wasm.canId(id);
  }

  /** The decision for `key` (on `record`, if given): `{ allow, code, step, rule, message }`. */
  check(key, record) {
    const d = record === undefined ? this.#wasm.check(key) : this.#wasm.checkRecord(key, record);
    if (this.#decisions.size) emit(this.#decisions, { question: record === undefined ? { key } : { key, record }, ...d });
    return d;
  }

  /** May the user open `path`; if not, `redirect` says where to: `'home'`, `'logout'` or a path. */
  route(path) {
    const d = this.#wasm.route(String(path));
    if (this.#decisions.size) emit(this.#decisions, { question: { route: path }, ...d });
    return d;
  }

  /** The policy's home path (null when nothing valid is loaded). */
  home() {
    return this.#wasm.home() ?? null;
  }

  /** The policy's menu filtered, or the app's `tree` of `{ id, children? }` nodes filtered (copies). */
  menu(tree) {
    return tree === undefined ? this.#wasm.menu() : this.#wasm.menuFilter(tree);
  }

  /** Each governed field of `resource` (on `record`, if given) with its decision. */
  fields(resource, record) {
    return this.#wasm.fields(resource, record);
  }

  /** `{ value, masked }`: a copy of `record` without the fields the user may not see. */
  mask(resource, record) {
    return this.#wasm.mask(resource, record);
  }

  /** The records the user may see (the same objects, in order). */
  filter(resource, records) {
    return this.#wasm.filter(resource, Array.from(records));
  }

  /** Any question, answered with `{ allow, code, step, rule, message }`. */
  explain(question) {
    const d = this.#wasm.explain(question);
    if (this.#decisions.size) emit(this.#decisions, { question, ...d });
    return d;
  }

  /** The effective value of a user setting, for display. */
  setting(name) {
    return this.#wasm.setting(name);
  }

  /** What is loaded, for whom, until when, and which backend answers. */
  status() {
    return { ...this.#wasm.status(), backend: backendName() };
  }

  /**
   * Calls `listener(status)` whenever the snapshot in force changes: load, clear, revocation, and
   * when it expires (and again when its offline grace ends), so a screen can re-render denied.
   */
  onChange(listener) {
    return subscribe(this.#changes, listener);
  }

  /** Calls `listener(status)` `refreshAheadSec` (default 30) seconds before the snapshot expires. */
  onRefresh(listener) {
    return subscribe(this.#refreshes, listener);
  }

  /** Calls `listener({ question, allow, code, step, rule, message })` after every check (audit). */
  onDecision(listener) {
    return subscribe(this.#decisions, listener);
  }

  /** Stops timers and frees the wasm memory of this gate; it cannot be used afterwards. */
  free() {
    clearTimeout(this.#timer);
    clearTimeout(this.#expiry);
    this.#changes.clear();
    this.#refreshes.clear();
    this.#decisions.clear();
    this.#wasm.free();
  }

  #changed() {
    const status = this.status();
    clearTimeout(this.#timer);
    this.#timer = null;
    if (status.loaded && status.expiresIn !== null) {
      this.#timer = later((status.expiresIn - this.#refreshAheadSec) * 1000, () => emit(this.#refreshes, this.status()));
    }
    this.#watchExpiry(status);
    emit(this.#changes, status);
  }

  /**
   * Emits a change when the snapshot in force stops answering: when it expires (beyond the clock
   * skew) and, with `offlineGraceSec`, again when the grace ends. The timer only prompts a fresh
   * `status()` from wasm, which decides; a timer that fires early just waits again.
   */
  #watchExpiry(before) {
    clearTimeout(this.#expiry);
    this.#expiry = null;
    if (!before.loaded || before.expiresIn === null) return;
    let sec;
    if (!before.expired) sec = before.expiresIn + this.#skewSec;
    else if (before.inGrace) sec = before.expiresIn + this.#skewSec + this.#graceSec;
    else return;
    this.#expiry = later(sec * 1000 + 5, () => {
      const after = this.status();
      this.#watchExpiry(after);
      if (after.expired !== before.expired || after.inGrace !== before.inGrace) emit(this.#changes, after);
    });
  }
}

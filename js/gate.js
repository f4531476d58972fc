// The public Gate over the wasm gate. Every decision comes from wasm, as a number: when a snapshot
// loads, the core computes what depends on the user alone (each interned key's answer, each
// resource's field plan, the menu's own checks) and hands over the tables that turn numbers back
// into the documented objects. This file reads answers from wasm memory, writes the few record
// fields or menu ids a question needs into wasm memory, makes one call per question, and expands
// the numbers it gets back. It decides nothing (docs/api.md, "How answers cross into JavaScript").
import { WasmGate, constants, reasons } from './rolegate_bg.js';
import { RolegateError } from './error.js';
import { backendName, memoryBuffer, ready } from './load.js';

/** Longest timer browsers and Node accept (about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;
/** Options handled in wasm; `refreshAheadSec` is handled here. Anything else is a typo. */
const OPTIONS = new Set(['keys', 'audience', 'issuer', 'clockSkewSec', 'maxTokenBytes', 'now', 'platform', 'offlineGraceSec', 'refreshAheadSec']);
/** The member that names each kind of question, looked for in this order (src/wasm/gate.rs `explain`). */
const QUESTION = ['key', 'route', 'menu', 'field', 'see'];
/** Taken at import, before app code runs: a later change to `Object.hasOwn` changes nothing here. */
const hasOwn = Object.hasOwn;
const HIGH = 2 ** 32;
let encoder = null;

/** The core's constants and reason texts (src/wasm/gate.rs `constants`, `reasons`: code, step and message of each), read once. */
let K = null;
function core() {
  if (K) return K;
  const [allow, noText, listDepth, listItems, menuDepth, notAKey, noId, maxRecords, maxText, maxNumbers, planner] = constants();
  K = { allow, noText, listDepth, listItems, menuDepth, notAKey, noId, maxRecords, maxText, maxNumbers, planner, reasons: reasons() };
  return K;
}

/**
 * Bumped by `clockMoved()`: a gate whose clock reading is older reads the clock again at its next
 * check, even within the same task.
 */
let clockEpoch = 0;

/**
 * Tells every gate that its clock jumped (the test kit's `testClock` calls this when it moves), so
 * that the next check reads the clock again instead of using this task's reading.
 */
export function clockMoved() {
  clockEpoch++;
}

/** Views of wasm memory, taken again when it grows (growth detaches the old buffer). */
let U8 = new Uint8Array(0);
let U32 = new Uint32Array(0);
let F64 = new Float64Array(0);
function u8() {
  if (U8.length === 0) U8 = new Uint8Array(memoryBuffer());
  return U8;
}
function u32() {
  if (U32.length === 0) U32 = new Uint32Array(memoryBuffer());
  return U32;
}
function f64() {
  if (F64.length === 0) F64 = new Float64Array(memoryBuffer());
  return F64;
}

/** A list of answers the core left in its memory (src/wasm/gate.rs `answer`): a copy of it. */
function list(at) {
  const m = u32();
  at >>>= 2;
  return m.slice(at + 1, at + 1 + m[at]);
}

/**
 * A tree rebuilt from its nodes in preorder (`[node, number of children]`), with only the nodes
 * `keep` marks (1), each made by `make(node, kept children)`; `roots` nodes are at the top.
 */
function rebuild(nodes, keep, roots, make) {
  let i = 0;
  const level = (count) => {
    const out = [];
    for (; count > 0; count--) {
      const [node, children] = nodes[i];
      const kept = keep[i++] === 1;
      const copies = level(children);
      if (kept) out.push(make(node, copies));
    }
    return out;
  };
  return level(roots);
}

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
  if (typeof fn !== 'function') throw misuse('a listener must be a function');
  set.add(fn);
  return () => set.delete(fn);
}

/**
 * `obj[name]` if it is an own member of `obj`, else undefined: an inherited one (a polluted
 * `Object.prototype`) is absent, and so is one whose reading throws (a getter, a revoked Proxy).
 */
function own(obj, name) {
  try {
    return hasOwn(obj, name) ? obj[name] : undefined;
  } catch {
    return undefined;
  }
}

function misuse(message) {
  return new RolegateError('bad_argument', message);
}

/** `fn()`, with an exception from the app's values (a getter, a Proxy) turned into a RolegateError (`code`). */
function guarded(what, fn, code = 'bad_argument') {
  try {
    return fn();
  } catch (e) {
    throw e instanceof RolegateError ? e : new RolegateError(code, `\`${what}\` could not read its argument: ${e?.message ?? e}`);
  }
}

/**
 * `list` (an array or any iterable) as an array of at most `MAX_FILTER_RECORDS` items; its length is
 * checked before `Array.from` would walk a sparse array of length 2^32 − 1.
 */
function items(what, list) {
  return guarded(what, () => {
    const n = own(list, 'length');
    const all = n > K.maxRecords ? null : Array.from(list);
    if (!all || all.length > K.maxRecords) throw misuse(`\`${what}\` takes at most ${K.maxRecords} items`);
    return all;
  });
}

/** Whether `s` is a string short enough to ask about (src/limits.rs `MAX_QUESTION_CHARS`). */
function text(s) {
  return typeof s === 'string' && s.length <= K.maxText;
}

/**
 * The options as the wasm gate reads them (src/wasm/options.rs): the app's own members, on an object
 * without a prototype, so a polluted `Object.prototype` adds none. Anything else is passed on for the
 * core to refuse.
 */
function cleanOptions(options) {
  if (options === null || typeof options !== 'object') return options;
  const out = Object.create(null);
  return guarded('new Gate', () => {
    for (const name of Object.keys(options)) {
      if (!OPTIONS.has(name)) throw new RolegateError('bad_config', `unknown option \`${name}\``);
      const v = options[name];
      // JSON.stringify writes own members only: a polluted prototype adds no key to the key set.
      out[name] = name === 'keys' && v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    }
    return out;
  }, 'bad_config');
}

/** Sets an own data member, also one named `__proto__` (which plain assignment would take as the prototype). */
function put(obj, name, value) {
  if (name === '__proto__') Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
  else obj[name] = value;
}

/**
 * A record's field read the ways the core lists (src/surfaces/ahead.rs `paths`): the first way that
 * gives a value. Own members only (an inherited one, from a polluted `Object.prototype`, is absent);
 * a getter or Proxy that throws makes the field absent, and nothing unwinds through wasm.
 */
function field(record, ways) {
  try {
    for (const steps of ways) {
      let v = record;
      for (const step of steps) {
        v = v !== null && typeof v === 'object' && hasOwn(v, step) ? v[step] : undefined;
        if (v === undefined) break;
      }
      if (v !== undefined) return v;
    }
  } catch {
    // A getter or Proxy that threw: the field is absent.
  }
  return undefined;
}

/** The snapshot's tables (src/wasm/gate.rs `strings`, `layout`, `placeholders`), read once per load. */
function tables(wasm) {
  const s = wasm.strings();
  const n = list(wasm.layout()); // empty with nothing loaded: every count reads as none
  let si = 0, ni = 0;
  const take = (count) => s.slice(si, (si += count));
  const texts = take(n[ni++]);
  const facts = new Map(take(n[ni++]).map((f, i) => [f, i]));
  const ways = [];
  for (let slots = n[ni++]; slots > 0; slots--) {
    const w = [];
    for (let count = n[ni++]; count > 0; count--) w.push(take(n[ni++]));
    ways.push(w);
  }
  const lists = [];
  for (let count = n[ni++]; count > 0; count--) {
    const len = n[ni++];
    lists.push(Array.from(n.subarray(ni, (ni += len))));
  }
  const resourceCount = n[ni++];
  const names = take(resourceCount);
  const placeholders = wasm.placeholders();
  const res = names.map((name, i) => {
    const fields = take(n[ni]);
    const words = n.subarray(ni + 1, (ni += 1 + fields.length));
    const hidden = new Map();
    fields.forEach((f, j) => { if (!(words[j] & core().allow)) hidden.set(f, words[j]); });
    const p = placeholders[i];
    const placeholder = p === undefined ? undefined : typeof p === 'object' && p !== null
      ? () => JSON.parse(JSON.stringify(p)) // a fresh copy each time: masked records share nothing
      : () => p;
    return { fields, hidden, placeholder, slots: lists[i] };
  });
  const menuCount = n[ni++];
  const roots = n[ni++];
  const ids = take(menuCount);
  const menu = ids.map((id, i) => [id, n[ni + i]]);
  return {
    texts, facts, ways, lists, all: lists[lists.length - 1] ?? [], resources: new Map(names.map((r, i) => [r, i])),
    res, menuIds: new Map(ids.map((id, i) => [id, i])), menu, roots, home: texts[n[ni + menuCount]] ?? null,
  };
}

/** Verifies signed role snapshots and answers permission checks from the one in force. */
export class Gate {
  #wasm;
  #ids = new Map();
  /** Where the per-key table starts, in 4-byte words of wasm memory. */
  #table = 0;
  /** The snapshot's tables (see `tables`). */
  #t;
  /** Where the scratch numbers start (8-byte words) and how many there are. */
  #scratch = 0;
  #scratchLen = 0;
  /** Where the text scratch starts (bytes) and how many bytes it has. */
  #text = 0;
  #textLen = 0;
  /** The clock is read once per task: `#ticked` until the task's microtasks run. */
  #ticked = false;
  #epoch = 0;
  #deny = 0;
  #untick = () => { this.#ticked = false; };
  /** Set while the gate reads an app's record or tree, whose getters must not ask it questions. */
  #reading = false;
  /** How many more list items the record being written may hold, all its lists together. */
  #items = 0;
  #refreshAheadSec;
  #timer = null;
  #expiry = null;
  #changes = new Set();
  #refreshes = new Set();
  #decisions = new Set();

  /** @param {import('./index.js').GateOptions} options */
  constructor(options) {
    if (!ready()) {
      throw new RolegateError('not_initialised', 'call `await init()` once before creating a Gate');
    }
    options = cleanOptions(options);
    const lead = options?.refreshAheadSec ?? 30;
    if (typeof lead !== 'number' || !(lead >= 0)) {
      throw new RolegateError('bad_config', '`refreshAheadSec` must be a number of seconds, 0 or more');
    }
    this.#refreshAheadSec = lead;
    core();
    this.#wasm = new WasmGate(options);
    this.#t = tables(this.#wasm);
    this.#grow(0);
  }

  /** Verifies `token` and puts it in force; throws a RolegateError and keeps the previous snapshot if refused. */
  load(token) {
    this.#enter();
    if (typeof token !== 'string') throw misuse('a token is a string');
    return this.#changed(this.#wasm.load(token));
  }

  /** Drops the snapshot in force; every check is denied afterwards. */
  clear() {
    this.#enter();
    this.#wasm.clear();
    this.#changed(this.#wasm.status());
  }

  /** Refuses snapshots of `subject` or `tenant` below `rev` from now on, the one in force included. */
  revoke(who) {
    this.#enter();
    const subject = own(who, 'subject') ?? undefined;
    const tenant = own(who, 'tenant') ?? undefined;
    const rev = own(who, 'rev');
    if ((subject === undefined) === (tenant === undefined) || !text(subject ?? tenant) || typeof rev !== 'number') {
      throw misuse('revoke takes exactly one of `{ subject }` and `{ tenant }` (a string), and `rev` (a number)');
    }
    const dropped = this.#wasm.revoke(subject === undefined, subject ?? tenant, rev);
    if (dropped) this.#changed(this.#wasm.status());
    return dropped;
  }

  /** Whether the user may do `key` (on `record`, if given). False when nothing valid is loaded. */
  can(key, record) {
    if (!text(key)) return false;
    if (this.#decisions.size) return this.check(key, record).allow;
    return ((this.#live() || this.#word(key, record)) & K.allow) !== 0;
  }

  /** Answers for a whole screen of keys in one call. */
  canMany(keys) {
    return items('canMany', keys).map((k) => text(k) && ((this.#live() || this.#word(k)) & K.allow) !== 0);
  }

  /** A number for `key`, for `canId` on hot paths; the same key always gets the same id. */
  id(key) {
    let id = this.#ids.get(key);
    if (id === undefined) {
      this.#enter();
      if (!text(key)) throw misuse(`a key is a string of at most ${K.maxText} characters`);
      id = this.#wasm.id(key);
      if (id !== K.noId) this.#ids.set(key, id);
      this.#table = this.#wasm.table() >>> 2;
    }
    return id;
  }

  /** The answer for an id from `id()`, from a table computed when the snapshot loaded. */
  canId(id) {
    if (this.#live() || typeof id !== 'number' || !(id < this.#ids.size && id >= 0)) return false;
    return (u32()[this.#table + 2 * id] & K.allow) !== 0;
  }

  /** The decision for `key` (on `record`, if given): `{ allow, code, step, rule, message }`. */
  check(key, record) {
    const word = this.#live() || (text(key) ? this.#word(key, record) : K.notAKey);
    const d = this.#decision(word);
    if (this.#decisions.size) emit(this.#decisions, { question: record === undefined ? { key } : { key, record }, ...d });
    return d;
  }

  /** May the user open `path`; if not, `redirect` says where to: `'home'`, `'logout'` or a path. */
  route(path) {
    this.#live();
    this.#enter();
    return this.#redirect(this.#wasm.route(this.#writeText(text(path) ? path : '')), { route: path }); // no route matches ''
  }

  /** May the session start on this platform at all; if not, `redirect` says where to (as `route`). */
  platform() {
    this.#live();
    this.#enter();
    return this.#redirect(this.#wasm.platform(), { platform: true });
  }

  /** The catalogue keys the snapshot in force grants, sorted; none when nothing valid is loaded. */
  keys() {
    this.#live();
    this.#enter();
    return this.#wasm.keys().sort(); // in UTF-16 order, as Rust sorts them natively (catalogue keys are ASCII)
  }

  /**
   * The query plan of `action` (default `view`) on records of `resource`: `{ v: 1, plan }`
   * (docs/records.md), always-false for any name the policy does not have. Needs the planner module.
   */
  query(resource, action = 'view') {
    this.#live();
    this.#enter();
    if (!K.planner) throw new RolegateError('not_initialised', 'gate.query needs `await init({ query: true })`');
    if (typeof resource !== 'string' || typeof action !== 'string') throw misuse('`resource` and `action` are strings');
    return this.#wasm.query(this.#resource(resource), this.#writeText(text(action) ? action : '')); // no key ends in '.'
  }

  /** The policy's home path (null when nothing valid is loaded). */
  home() {
    return this.#live() ? null : this.#t.home;
  }

  /** The policy's menu filtered, or the app's `tree` of `{ id, children? }` nodes filtered (copies). */
  menu(tree) {
    this.#live();
    this.#enter();
    if (tree === undefined) {
      const keep = list(this.#wasm.menu());
      return rebuild(this.#t.menu, keep, keep.length ? this.#t.roots : 0, (id, children) => (children.length ? { id, children } : { id }));
    }
    const nodes = this.#encodeMenu(tree);
    const keep = list(this.#wasm.menuFilter());
    return guarded('menu', () => rebuild(nodes, keep, nodes.roots, (node, children) => {
      const copy = { ...node }; // spread keeps an own `__proto__` member as data
      if (children.length) copy.children = children;
      return copy;
    }));
  }

  /** Each governed field of `resource` (on `record`, if given) with its decision. */
  fields(resource, record) {
    this.#live();
    const ri = this.#resource(resource);
    this.#encodeRecord(record, ri < 0 ? [] : this.#t.res[ri].slots, 0);
    const words = list(this.#wasm.fields(ri));
    const names = ri < 0 ? ['*'] : this.#t.res[ri].fields; // '*': every field, of a resource type not in the policy
    return Array.from(words, (w, i) => this.#decision(w, names[i]));
  }

  /** `{ value, masked }`: a copy of `record` without the fields the user may not see. */
  mask(resource, record) {
    this.#live();
    const ri = this.#resource(resource);
    const plan = ri < 0 ? null : this.#t.res[ri];
    this.#encodeRecord(record, plan ? plan.slots : [], 0);
    const x = this.#wasm.mask(ri);
    const copy = Math.floor(x / HIGH);
    if (copy === 2) return { value: {}, masked: [] };
    this.#reading = true;
    try {
      const masked = [];
      if (copy === 1) {
        for (const name of Object.keys(record)) masked.push(this.#decision(x >>> 0, name));
        return { value: {}, masked };
      }
      const value = {};
      const { hidden, placeholder } = plan;
      for (const name of Object.keys(record)) {
        const word = hidden.get(name);
        if (word === undefined) {
          put(value, name, record[name]);
        } else {
          if (placeholder) put(value, name, placeholder());
          masked.push(this.#decision(word, name));
        }
      }
      return { value, masked };
    } catch (e) {
      throw misuse(`\`mask\` could not read the record: ${e?.message ?? e}`);
    } finally {
      this.#reading = false;
    }
  }

  /** The records the user may see (the same objects, in order). */
  filter(resource, records) {
    this.#live();
    const all = items('filter', records);
    const ri = this.#resource(resource);
    const slots = ri < 0 ? [] : this.#t.res[ri].slots;
    let at = 0;
    for (const r of all) at = this.#encodeRecord(r, slots, at);
    const keep = list(this.#wasm.filter(ri, all.length));
    return all.filter((_, i) => keep[i] === 1);
  }

  /** Any question, answered with `{ allow, code, step, rule, message }`. */
  explain(question) {
    this.#live();
    const object = question !== null && typeof question === 'object';
    const kind = object ? QUESTION.findIndex((n) => own(question, n) !== undefined) : -1;
    if (kind < 0) throw misuse(object ? 'a question needs `key`, `route`, `menu`, `field` or `see`' : 'a question is an object such as `{ key }`');
    // Own members only, so nothing comes from a polluted prototype; a text too long to ask is ''.
    const [a, b = ''] = (kind === 3 ? ['resource', 'field'] : [kind < 3 ? QUESTION[kind] : 'resource']).map((n) => {
      const v = own(question, n);
      if (typeof v !== 'string') throw misuse(`\`${n}\` must be a string`);
      return text(v) ? v : '';
    });
    this.#encodeRecord(own(question, 'see'), this.#t.all, this.#encodeRecord(own(question, 'record'), this.#t.all, 0));
    const d = this.#decision(this.#wasm.explain(kind, a, b));
    if (this.#decisions.size) emit(this.#decisions, { question, ...d });
    return d;
  }

  /** The effective value of a user setting, for display. */
  setting(name) {
    this.#enter();
    return text(name) ? this.#wasm.setting(name) : undefined;
  }

  /** What is loaded, for whom, until when, and which backend answers. */
  status() {
    this.#enter();
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
    if (this.#reading) this.#enter(); // refuses, as for any question asked from a getter
    clearTimeout(this.#timer);
    clearTimeout(this.#expiry);
    this.#changes.clear();
    this.#refreshes.clear();
    this.#decisions.clear();
    this.#wasm?.free();
    this.#wasm = null;
    this.#ticked = false; // the next check reaches #enter, which refuses a freed gate
  }

  /**
   * 0 when a snapshot answers this task's checks, else the word they are all denied with. The core
   * reads the clock on the first check of a task; checks until the task's microtasks run use that
   * reading, and the first check after them reads the clock again (or after `clockMoved()`).
   */
  #live() {
    if (!this.#ticked || this.#epoch !== clockEpoch) {
      this.#enter();
      if (!this.#ticked) queueMicrotask(this.#untick);
      this.#ticked = true;
      this.#epoch = clockEpoch;
      this.#deny = this.#wasm.tick();
    }
    return this.#deny;
  }

  /** Refuses a question asked from inside a getter of a record or tree this gate is reading. */
  #enter() {
    if (this.#reading) throw misuse('a record or menu tree asked the gate a question while the gate was reading it');
    if (!this.#wasm) throw misuse('the gate was freed');
  }

  /** The answer word for string `key` (on `record`, if given), once the snapshot answers. */
  #word(key, record) {
    const id = this.id(key);
    if (id === K.noId) {
      // Past the interning limit: asked as a question, `{ key, record }`, one call each time.
      this.#encodeRecord(undefined, this.#t.all, this.#encodeRecord(record, this.#t.all, 0));
      return this.#wasm.explain(0, key, '');
    }
    if (record === undefined) return u32()[this.#table + 2 * id];
    this.#encodeRecord(record, this.#t.lists[u32()[this.#table + 2 * id + 1]] ?? [], 0);
    return this.#wasm.record(id);
  }

  /** A route-shaped answer (src/surfaces/ahead.rs `route_code`): the decision and where to send the user. */
  #redirect(x, question) {
    const to = Math.floor(x / HIGH);
    const d = this.#decision(x >>> 0);
    d.redirect = to === 0 ? null : to === 1 ? 'home' : to === 2 ? 'logout' : this.#t.texts[to - 3];
    if (this.#decisions.size) emit(this.#decisions, { question, ...d });
    return d;
  }

  /** The documented decision object for a word, with `field` first when given. */
  #decision(word, name) {
    const r = 3 * (word & 0x7f);
    const t = word >>> 8;
    const d = name === undefined ? {} : { field: name };
    d.allow = (word & K.allow) !== 0;
    d.code = K.reasons[r];
    d.step = K.reasons[r + 1];
    d.rule = t === K.noText ? null : this.#t.texts[t] ?? null;
    d.message = K.reasons[r + 2];
    return d;
  }

  /** The index of resource type `name` in this snapshot's tables, or −1. */
  #resource(name) {
    return this.#t.resources.get(name) ?? -1;
  }

  /** Writes `s` as UTF-8 into the text scratch and returns its length in bytes. */
  #writeText(s) {
    const n = s.length;
    if (3 * n > this.#textLen) {
      this.#textLen = Math.max(256, 3 * n);
      this.#text = this.#wasm.textScratch(this.#textLen);
    }
    const m = u8();
    const at = this.#text;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return (encoder ??= new TextEncoder()).encodeInto(s, m.subarray(at, at + this.#textLen)).written;
      m[at + i] = c;
    }
    return n;
  }

  /** Makes room for `len` scratch numbers (at most `MAX_QUESTION_NUMBERS`: a question never exhausts wasm memory). */
  #grow(len) {
    if (len <= this.#scratchLen && this.#scratchLen) return;
    if (len > K.maxNumbers) throw misuse('the question is too large to check');
    const want = Math.max(256, len, this.#scratchLen * 2);
    this.#scratch = this.#wasm.scratch(want) >>> 3;
    this.#scratchLen = want;
  }

  /**
   * Writes `record` at scratch position `at` as the core reads it (src/surfaces/wire.rs): its shape,
   * then the value of each slot of `slots`. Returns the position after it.
   */
  #encodeRecord(record, slots, at) {
    this.#enter();
    let shape = 3;
    if (record === undefined) shape = 0;
    else if (record !== null && typeof record === 'object') {
      try {
        shape = Array.isArray(record) ? 2 : 1;
      } catch {
        shape = 1; // a revoked Proxy: an object whose fields cannot be read
      }
    }
    this.#grow(at + 1 + 2 * slots.length);
    f64()[this.#scratch + at++] = shape;
    if (shape === 1 || shape === 2) {
      this.#reading = true;
      this.#items = K.listItems; // a cyclic [a, a] is 2^depth items: bounded for the whole record
      try {
        for (const s of slots) at = this.#encodeValue(field(record, this.#t.ways[s]), 0, at);
      } finally {
        this.#reading = false;
      }
    }
    return at;
  }

  /** Writes one field value (see src/surfaces/wire.rs for the tags). */
  #encodeValue(v, depth, at) {
    this.#grow(at + 2);
    const m = f64();
    const base = this.#scratch;
    switch (typeof v) {
      case 'undefined': m[base + at] = 0; return at + 1;
      case 'boolean': m[base + at] = v ? 3 : 2; return at + 1;
      case 'number': m[base + at] = 4; m[base + at + 1] = v; return at + 2;
      case 'string': {
        const f = this.#t.facts.get(v);
        if (f === undefined) { m[base + at] = 6; return at + 1; }
        m[base + at] = 5; m[base + at + 1] = f; return at + 2;
      }
      case 'object': {
        if (v === null) { m[base + at] = 1; return at + 1; }
        try {
          if (Array.isArray(v) && depth < K.listDepth && v.length <= this.#items) {
            const n = v.length;
            this.#items -= n;
            this.#grow(at + 2 + n);
            f64()[this.#scratch + at] = 8;
            f64()[this.#scratch + at + 1] = n;
            let p = at + 2;
            for (let i = 0; i < n; i++) p = this.#encodeValue(v[i], depth + 1, p);
            return p;
          }
        } catch {
          // An item that cannot be read: the whole list is a value nothing compares equal to.
        }
        f64()[this.#scratch + at] = 7;
        return at + 1;
      }
      default: m[base + at] = 7; return at + 1;
    }
  }

  /**
   * Writes an app's menu tree as the core reads it (src/surfaces/wire.rs `menu`) and returns its
   * nodes in the same order, each with its number of children (`roots`: the top-level count).
   */
  #encodeMenu(tree) {
    const nodes = [];
    let at = 0;
    const write = (v) => { this.#grow(at + 1); f64()[this.#scratch + at++] = v; };
    const count = (list, depth) => (Array.isArray(list) && depth <= K.menuDepth && list.length <= K.listItems ? list.length : -2);
    const level = (list, depth) => {
      for (let i = 0; i < list.length; i++) {
        const node = own(list, i);
        const id = node === null || typeof node !== 'object' ? undefined : own(node, 'id');
        const kids = node === null || typeof node !== 'object' ? undefined : own(node, 'children');
        const n = kids === undefined || kids === null ? -1 : count(kids, depth + 1);
        write(typeof id === 'string' ? this.#t.menuIds.get(id) ?? -1 : -2);
        write(n);
        nodes.push([node, Math.max(n, 0)]);
        if (nodes.length > K.listItems) throw misuse('the menu tree has too many nodes'); // a cyclic tree
        if (n < -1 || typeof id !== 'string') return false;
        if (n > 0 && !level(kids, depth + 1)) return false;
      }
      return true;
    };
    this.#reading = true;
    try {
      const roots = count(tree, 0);
      write(roots);
      if (roots > 0) level(tree, 0);
      nodes.roots = Math.max(roots, 0);
    } catch (e) {
      throw misuse(`\`menu\` could not read the tree: ${e?.message ?? e}`);
    } finally {
      this.#reading = false;
    }
    return nodes;
  }

  /** After a load, clear or revocation: new tables, a fresh clock reading, timers, listeners. */
  #changed(status) {
    this.#ticked = false;
    this.#t = tables(this.#wasm);
    this.#table = this.#wasm.table() >>> 2;
    status = { ...status, backend: backendName() };
    clearTimeout(this.#timer);
    this.#timer = null;
    if (status.loaded && status.expiresIn !== null) {
      this.#timer = later((status.expiresIn - this.#refreshAheadSec) * 1000, () => emit(this.#refreshes, this.status()));
    }
    this.#watchExpiry(status);
    emit(this.#changes, status);
    return status;
  }

  /**
   * Emits a change when the snapshot in force stops answering: when it expires (beyond the clock
   * skew) and, with `offlineGraceSec`, again when the grace ends. The core says when that is; the
   * timer only prompts a fresh `status()` from wasm, which decides, and a timer that fires early
   * just waits again.
   */
  #watchExpiry(before) {
    clearTimeout(this.#expiry);
    this.#expiry = null;
    const sec = this.#wasm.changesIn();
    if (!(sec >= 0)) return;
    this.#expiry = later(sec * 1000 + 5, () => {
      const after = this.status();
      this.#watchExpiry(after);
      if (after.expired !== before.expired || after.inGrace !== before.inGrace) {
        this.#ticked = false; // the answers changed: the next check reads the clock again
        emit(this.#changes, after);
      }
    });
  }
}

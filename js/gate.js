// The public Gate: a thin wrapper over the wasm gate. It forwards every question to wasm and decides
// nothing itself.
import { WasmGate } from './rolegate_bg.js';
import { RolegateError } from './error.js';
import { ready } from './load.js';

/** Verifies signed role snapshots and answers permission checks from the one in force. */
export class Gate {
  #wasm;

  /** @param {import('./index.js').GateOptions} options */
  constructor(options) {
    if (!ready()) {
      throw new RolegateError('not_initialised', 'call `await init()` once before creating a Gate');
    }
    this.#wasm = new WasmGate(options);
  }

  /** Verifies `token` and puts it in force; throws a RolegateError and keeps the previous snapshot if refused. */
  load(token) {
    return this.#wasm.load(String(token));
  }

  /** Whether the user may do `key` (false when nothing valid is loaded). */
  can(key) {
    return this.#wasm.can(key);
  }

  /** The decision for `key`: `{ allow, code, rule, message }`. */
  check(key) {
    return this.#wasm.check(key);
  }

  /** What is loaded, for whom, and until when. */
  status() {
    return this.#wasm.status();
  }

  /** Drops the snapshot in force; every check is denied afterwards. */
  clear() {
    this.#wasm.clear();
  }

  /** Frees the wasm memory of this gate; the gate cannot be used afterwards. */
  free() {
    this.#wasm.free();
  }
}

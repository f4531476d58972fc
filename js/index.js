// rolegate: signed role snapshots, verified and evaluated in WebAssembly.
export { init, ready, backendName, memoryBytes } from './load.js';
export { Gate } from './gate.js';
export { RolegateError } from './error.js';

// RolegateError: the error every failed load, bad key set or bad option throws. The wasm side throws a
// plain `Error` named `RolegateError` with a `.code`; `instanceof RolegateError` recognises those too.

/** An error from rolegate, with a stable machine-readable `code` (see docs/errors.md). */
export class RolegateError extends Error {
  /**
   * @param {string} code  stable snake_case code
   * @param {string} message  one-line human message
   */
  constructor(code, message) {
    super(message);
    this.name = 'RolegateError';
    this.code = code;
  }

  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === 'RolegateError' && typeof value.code === 'string';
  }
}

/** A JSON Web Key Set holding Ed25519 public keys: `{ keys: [{ kty: 'OKP', crv: 'Ed25519', x, kid }] }`. */
export interface Jwks {
  keys: Array<{ kty: string; crv?: string; x?: string; kid?: string; use?: string; alg?: string }>;
}

/** How a gate checks snapshots. */
export interface GateOptions {
  /** The trusted public keys, as a JWKS object or its JSON text. */
  keys: Jwks | string;
  /** This application's audience; a snapshot's `aud` must contain it. */
  audience: string;
  /** When set, a snapshot's `iss` must equal it. */
  issuer?: string;
  /** How far clocks may disagree, in seconds (default 60). */
  clockSkewSec?: number;
  /** The largest token accepted, in bytes (default 262144). */
  maxTokenBytes?: number;
  /** The current time in seconds since the epoch (default `Date.now() / 1000`). */
  now?: () => number;
}

/** What is loaded, for whom, and until when. Times are seconds since the epoch. */
export interface Status {
  loaded: boolean;
  subject: string | null;
  tenant: string | null;
  rev: number | null;
  issuedAt: number | null;
  expiresAt: number | null;
  expiresIn: number | null;
  expired: boolean;
}

/** The stable codes of the reasons behind a decision. */
export type ReasonCode = 'granted' | 'no_snapshot' | 'expired' | 'explicit_deny' | 'no_grant';

/** One decision, with why. */
export interface Decision {
  allow: boolean;
  code: ReasonCode;
  rule: string | null;
  message: string;
}

/** The stable codes of RolegateError. */
export type ErrorCode =
  | 'too_large' | 'malformed' | 'alg_not_allowed' | 'bad_typ' | 'crit_not_supported' | 'unknown_kid'
  | 'bad_signature' | 'expired' | 'not_yet_valid' | 'wrong_audience' | 'wrong_issuer' | 'missing_claim'
  | 'bad_claim' | 'rolled_back' | 'revoked' | 'bad_jwks' | 'bad_config' | 'not_initialised';

/** An error from rolegate, with a stable machine-readable `code`. */
export class RolegateError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: 'RolegateError';
  readonly code: ErrorCode;
}

/**
 * Loads the WebAssembly module; await it once before creating a Gate.
 * By default the `.wasm` file next to this module is used; pass a URL, a Response (or its promise), the
 * bytes or a compiled module to host it elsewhere. Later calls return the first call's promise.
 */
export function init(source?: string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module): Promise<void>;

/** Whether `init()` has finished. */
export function ready(): boolean;

/** Which backend runs the evaluator: `'wasm'`, or `null` before `init()`. */
export function backendName(): 'wasm' | null;

/** Verifies signed role snapshots and answers permission checks from the one in force. */
export class Gate {
  constructor(options: GateOptions);
  /** Verifies `token` and puts it in force; throws a RolegateError and keeps the previous snapshot if refused. */
  load(token: string): Status;
  /** Whether the user may do `key` (false when nothing valid is loaded). */
  can(key: string): boolean;
  /** The decision for `key`, with its reason code. */
  check(key: string): Decision;
  /** What is loaded, for whom, and until when. */
  status(): Status;
  /** Drops the snapshot in force; every check is denied afterwards. */
  clear(): void;
  /** Frees the wasm memory of this gate. */
  free(): void;
}

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
  /** The platform the UI runs on (`'web'`, `'mobile'`), checked against the user's platforms. */
  platform?: string;
  /** Seconds after expiry during which the snapshot still answers and loads (offline use; default 0). */
  offlineGraceSec?: number;
  /** Seconds before expiry at which `onRefresh` listeners are called (default 30). */
  refreshAheadSec?: number;
}

/** What is loaded, for whom, and until when. Times are seconds since the epoch. */
export interface Status {
  loaded: boolean;
  subject: string | null;
  tenant: string | null;
  rev: number | null;
  issuedAt: number | null;
  expiresAt: number | null;
  /** Seconds until expiry; negative once expired. */
  expiresIn: number | null;
  expired: boolean;
  /** Expired, but still answering within `offlineGraceSec`. */
  inGrace: boolean;
  /** Which backend evaluates: `'wasm'`, or `'wasm2js'` where WebAssembly is off. */
  backend: 'wasm' | 'wasm2js' | null;
}

/** The stable codes of the reasons behind a decision (docs/errors.md). */
export type ReasonCode =
  | 'granted' | 'public' | 'in_scope'
  | 'no_snapshot' | 'expired' | 'inactive' | 'platform_denied' | 'tenant_mismatch' | 'tenant_missing'
  | 'client_mismatch' | 'client_missing'
  | 'unknown_key' | 'feature_disabled' | 'explicit_deny' | 'out_of_scope' | 'setting_off' | 'setting_forced'
  | 'setting_not_applicable' | 'empty_section' | 'no_grant' | 'no_route' | 'unknown_item'
  | 'unknown_resource' | 'redirect_denied';

/** The step of the evaluation order that decided. */
export type Step =
  | 'envelope' | 'active' | 'platform' | 'tenant' | 'client' | 'catalogue' | 'feature' | 'deny' | 'grant' | 'scope'
  | 'field' | 'menu' | 'default' | 'redirect';

/** One decision, with why. */
export interface Decision {
  allow: boolean;
  code: ReasonCode;
  step: Step;
  /** The key, pattern or route that decided, if any. */
  rule: string | null;
  message: string;
}

/** A route decision: when denied, where to send the user. */
export interface RouteDecision extends Decision {
  redirect: null | 'home' | 'logout' | (string & {});
}

/** The decision for one governed field. */
export interface FieldDecision extends Decision {
  field: string;
}

/** A masked copy of a record and the fields that were hidden. */
export interface Masked<T> {
  value: Partial<T> & Record<string, unknown>;
  masked: FieldDecision[];
}

/** A record: any plain object; the policy names the fields that matter (owner, team, tenant …). */
export type RecordLike = object;

/** A menu node; the app's own nodes may carry any other properties, kept in the filtered copies. */
export interface MenuNode {
  id: string;
  children?: MenuNode[];
}

/** A question for `explain`. */
export type Question<K extends string = string> =
  | { key: K; record?: RecordLike }
  | { route: string }
  | { menu: string }
  | { resource: string; field: string; record?: RecordLike }
  | { resource: string; see: RecordLike };

/** What `onDecision` listeners receive (`{ platform: true }` for `platform()`). */
export interface AuditEvent<K extends string = string> extends Decision {
  question: Question<K> | { platform: true };
}

/** The stable codes of RolegateError (docs/errors.md). */
export type ErrorCode =
  | 'too_large' | 'malformed' | 'alg_not_allowed' | 'bad_typ' | 'crit_not_supported' | 'unknown_kid'
  | 'bad_signature' | 'expired' | 'not_yet_valid' | 'wrong_audience' | 'wrong_issuer' | 'missing_claim'
  | 'bad_claim' | 'rolled_back' | 'revoked' | 'bad_jwks' | 'bad_config' | 'not_initialised';

/** An error from rolegate, with a stable machine-readable `code`. */
export class RolegateError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: 'RolegateError';
  readonly code: ErrorCode;
  /** For `missing_claim` and `bad_claim`: the claim (`exp`, `rev`, …). */
  readonly claim?: string;
  /** For `bad_claim`: what is wrong with the claim. */
  readonly reason?: string;
}

/**
 * Loads the WebAssembly module; await it once before creating a Gate.
 * By default the `.wasm` file next to this module is used; pass a URL, a Response, the bytes or a
 * compiled module to host it elsewhere. `{ query: true }` loads the planner module instead (the same
 * gate plus `gate.query`, 2.8 KB larger; docs/records.md).
 */
export function init(source?: string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module | { query: true }): Promise<void>;

/** A query plan's JSON form, version 1 (docs/records.md). */
export interface QueryPlan {
  v: 1;
  plan: PlanNode;
}

/** One node of a query plan. */
export type PlanNode =
  | boolean
  | { and: PlanNode[] }
  | { or: PlanNode[] }
  | { eq: { field: string; value: string } }
  | { in: { field: string; values: string[] } }
  | { contains: { field: string; value: string } };

/** Whether `init()` has finished. */
export function ready(): boolean;

/** Which backend runs the evaluator: `'wasm'`, or `null` before `init()`. */
export function backendName(): 'wasm' | 'wasm2js' | null;

/** Diagnostic: the module's linear memory in bytes (0 before `init()`); it only grows, so a steady value under load means no leak. */
export function memoryBytes(): number;

/**
 * Verifies signed role snapshots and answers permission checks from the one in force.
 *
 * `K` is the union of the policy's permission keys and `R` of its resource types (`rolegate types
 * policy.json` writes both), so that a misspelt key or resource is a compile error:
 * `new Gate<PermissionKey, ResourceName>({ … })`.
 */
export class Gate<K extends string = string, R extends string = string> {
  constructor(options: GateOptions);
  /** Verifies `token` and puts it in force; throws a RolegateError and keeps the previous snapshot if refused. */
  load(token: string): Status;
  /** Drops the snapshot in force; every check is denied afterwards. */
  clear(): void;
  /** Refuses snapshots of `subject` or `tenant` below `rev` from now on, the one in force included; returns whether it was dropped. */
  revoke(floor: { subject: string; rev: number } | { tenant: string; rev: number }): boolean;
  /** Whether the user may do `key` (on `record`, if given). False when nothing valid is loaded. */
  can(key: K, record?: RecordLike): boolean;
  /** Answers for a whole screen of keys in one call. */
  canMany(keys: readonly K[]): boolean[];
  /** A number for `key`, for `canId` on hot paths. */
  id(key: K): number;
  /** The answer for an id from `id()`. */
  canId(id: number): boolean;
  /** The decision for `key` (on `record`, if given). */
  check(key: K, record?: RecordLike): Decision;
  /** May the user open `path`; if not, where to send them (`logout`, `redirect_denied`, rather than into a denied page). */
  route(path: string): RouteDecision;
  /** May the session start on this platform at all (a snapshot in force, the user active, the platform theirs); if not, where to send them. */
  platform(): RouteDecision;
  /** The catalogue keys the snapshot in force grants (for some records at least), sorted; empty when nothing valid is loaded, the user is inactive or the platform is not theirs. */
  keys(): K[];
  /**
   * The query plan of `action` (default `view`) on records of `resource`, always-false for anything the
   * policy does not name; needs the planner module (`init({ query: true })`), else `not_initialised`.
   */
  query(resource: R, action?: string): QueryPlan;
  /** The user's home path: their roles' home, else the policy's (null when nothing valid is loaded). */
  home(): string | null;
  /** The policy's menu, filtered. */
  menu(): MenuNode[];
  /** The app's menu tree filtered: copies of its nodes, hidden items and empty sections dropped. */
  menu<N extends MenuNode>(tree: readonly N[]): N[];
  /** Each governed field of `resource` (on `record`, if given) with its decision. */
  fields(resource: R, record?: RecordLike): FieldDecision[];
  /** A copy of `record` without (or with a placeholder for) the fields the user may not see. */
  mask<T extends object>(resource: R, record: T): Masked<T>;
  /** The records the user may see (the same objects, in order). */
  filter<T extends object>(resource: R, records: Iterable<T>): T[];
  /** Any question, answered with its code, step, rule and message. */
  explain(question: Question<K>): Decision;
  /** The effective value of a user setting, for display. */
  setting(name: string): unknown;
  /** What is loaded, for whom, and until when. */
  status(): Status;
  /** Calls `listener` whenever the snapshot in force changes (load, clear, revocation, expiry); returns an unsubscribe function. */
  onChange(listener: (status: Status) => void): () => void;
  /** Calls `listener` `refreshAheadSec` seconds before the snapshot expires; returns an unsubscribe function. */
  onRefresh(listener: (status: Status) => void): () => void;
  /** Calls `listener` after every check, for auditing; returns an unsubscribe function. */
  onDecision(listener: (event: AuditEvent<K>) => void): () => void;
  /** Stops timers and frees the wasm memory of this gate. */
  free(): void;
}

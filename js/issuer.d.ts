// rolegate/issuer: issue snapshots from a Node back end (ES module only).
import type { QueryPlan } from './index.js';

/** A JSON Web Key Set of Ed25519 public keys. */
export interface Jwks {
  keys: PublicJwk[];
}

/** An Ed25519 public JWK. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use?: string;
  alg?: string;
}

/** An Ed25519 private JWK: keep it secret. */
export interface PrivateJwk extends PublicJwk {
  d: string;
}

/** A user record (see docs/policy.md). */
export interface User {
  id: string;
  name?: string;
  type?: string;
  roles?: string[];
  settings?: Record<string, unknown>;
  teams?: string[];
  areas?: string[];
  clients?: string[];
  platforms?: string[];
  active?: boolean;
  tenant?: string;
  features?: string[];
  $comment?: string;
}

/** The claims of a snapshot. */
export interface Claims {
  sub: string;
  aud: string | string[];
  iss?: string;
  iat?: number;
  nbf?: number;
  exp: number;
  jti?: string;
  rev: number;
  tid?: string;
  /** The permission body the gate reads. */
  rg: Record<string, unknown>;
}

/** How `Compiler.claims` and `Compiler.issue` fill the claims. */
export interface ClaimsOptions {
  /** The audience (`aud`): the gate's `audience`. */
  audience: string;
  /** Lifetime in seconds (default 600). */
  ttl?: number;
  /** Issue time in seconds since the epoch (default now). */
  now?: number;
  /** The revision of the user's permissions (default 0); raise it whenever their roles change. */
  rev?: number;
  /** The issuer (`iss`). */
  issuer?: string;
  /** A unique id for the snapshot (`jti`). */
  jti?: string;
}

/** One problem of a policy, user or custom role, located by a JSON pointer. */
export interface Problem {
  code: PolicyErrorCode;
  pointer: string;
  message: string;
}

/** The stable codes of `Compiler.may`'s answers (docs/errors.md, "Administration"). */
export type AssignCode =
  | 'assignable' | 'settable' | 'unknown_role' | 'inactive' | 'tenant_mismatch' | 'no_authority' | 'not_authorised'
  | 'above_level' | 'exceeds_own_access' | 'wrong_family' | 'exclusive_roles' | 'missing_feature' | 'locked_role'
  | 'wrong_type' | 'setting_forced' | 'setting_not_applicable';

/** `Compiler.may`'s answer: whether the actor may do it, and why. */
export interface Assignment {
  allow: boolean;
  code: AssignCode;
  /** `assignment`; `administration` for the policy's `admin` section, `setting` for a setting's value, `default` for an unknown role, `active` for an inactive actor, `tenant` for a user of another tenant. */
  step: 'assignment' | 'administration' | 'setting' | 'default' | 'active' | 'tenant';
  /**
   * What decided, if one thing did: the role; for `exceeds_own_access`, the first key beyond the actor's own; for
   * `not_authorised`, the key (or the roles, joined by `|`) the policy requires; for a setting, its name, or for
   * `setting_forced` the role that forces it.
   */
  rule: string | null;
  message: string;
}

/** The codes of policy and user problems (see docs/errors.md). */
export type PolicyErrorCode =
  | 'bad_policy' | 'unknown_key' | 'unknown_role' | 'unknown_name' | 'inheritance_cycle' | 'wrong_family'
  | 'conflicting_exclusive' | 'level_out_of_range' | 'bad_route' | 'unreachable_menu_item' | 'bad_user'
  | 'exclusive_roles' | 'above_level' | 'missing_feature' | 'exceeds_own_access' | 'no_role' | 'not_authorised'
  | 'no_authority' | 'tenant_mismatch' | 'redirect_loop';

/** An error from rolegate with a stable `code`; policy and user problems also have a JSON `pointer`. */
export class RolegateError extends Error {
  constructor(code: string, message: string);
  readonly name: 'RolegateError';
  readonly code: string;
  /** For a policy or user problem: where it is, as a JSON pointer. */
  readonly pointer?: string;
  /** For `missing_claim` and `bad_claim`: the claim. */
  readonly claim?: string;
  /** For `bad_claim`: what is wrong with the claim. */
  readonly reason?: string;
}

/** Loads the issuer's WebAssembly module; await it once first. */
export function init(source?: string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module): Promise<void>;

/** Whether `init()` has finished. */
export function ready(): boolean;

/** A policy linted and ready to compile users. Throws a RolegateError (with `pointer`) for a bad policy. */
export class Compiler {
  constructor(policy: object | string, customRoles?: Record<string, object> | string);
  /** The policy's product name. */
  readonly product: string;
  /** The snapshot body (`rg`) of a user; throws for an invalid user. */
  body(user: User | string): Record<string, unknown>;
  /** As `body`, and every role of `user` must be one `assigner` may assign. */
  bodyAssignedBy(user: User | string, assigner: User | string): Record<string, unknown>;
  /** The claims of a user's snapshot, ready to sign. */
  claims(user: User | string, options: ClaimsOptions): Claims;
  /** Compiles `user` and signs the snapshot with `key`. */
  issue(user: User | string, key: SigningKey, options: ClaimsOptions): string;
  /** The effective value of setting `name` for `user`; `null` where it does not apply to their roles. */
  setting(user: User | string, name: string): unknown;
  /** May `actor` give role `role` (to `user`, when given: their tenant, family, exclusive sets and features are checked too)? */
  may(actor: User | string, action: 'assign', role: string, user?: User | string): Assignment;
  /** May `actor` edit role `role` (into `draft`, its new definition, when given)? */
  may(actor: User | string, action: 'edit', role: string, draft?: object | string): Assignment;
  /** May `actor` delete role `role`? */
  may(actor: User | string, action: 'delete', role: string): Assignment;
  /** May `actor` create the custom role `draft` (one `{ id: role }` entry, as a tenant's custom roles are written)? */
  may(actor: User | string, action: 'create', draft: Record<string, object> | string): Assignment;
  /** May `actor` set `user`'s setting `setting` to `value`? */
  may(actor: User | string, action: 'set', user: User | string, setting: string, value: boolean | number | string): Assignment;
  /** The query plan of the snapshot `user` would get, for records of `resource` seen (`view`, default) or acted on (`action`). */
  query(user: User | string, resource: string, action?: string): QueryPlan;
  /**
   * The user records of `users` that a list includes, in order, active users only: those whose setting is in effect
   * with `value` (default `true`), or who hold `role` themselves.
   */
  list<U extends User>(users: readonly U[], by: { setting: string; value?: boolean | number | string } | { role: string }): U[];
  /** Frees the wasm memory of this compiler. */
  free(): void;
}

/** An Ed25519 private key with its key id. */
export class SigningKey {
  private constructor();
  /** A new random key (seed from `crypto.getRandomValues`). */
  static generate(kid: string): SigningKey;
  /** The key with this 32-byte seed (fixtures and tests). */
  static fromSeed(kid: string, seed: Uint8Array): SigningKey;
  /** Reads a private JWK. */
  static fromJwk(jwk: PrivateJwk | string): SigningKey;
  /** Whether `value` is a SigningKey (a brand check: no getter or Proxy trap of `value` runs). */
  static is(value: unknown): value is SigningKey;
  readonly kid: string;
  privateJwk(): PrivateJwk;
  publicJwk(): PublicJwk;
  /** Signs claims into a snapshot token. */
  sign(claims: Claims | string): string;
  /** Frees the wasm memory of this key. */
  free(): void;
}

/** A JWKS with the public halves of `keys`. */
export function jwks(...keys: SigningKey[]): Jwks;

/** A new random key: store `privateJwk`, publish `jwks`. */
export function keygen(kid: string): { kid: string; privateJwk: PrivateJwk; jwks: Jwks };

/** Every problem of a policy (with custom roles added); empty when it is fit to compile. */
export function lint(policy: object | string, customRoles?: Record<string, object> | string): Problem[];

/** A query plan's JSON form and its nodes (the gate's `query` gives the same). */
export type { QueryPlan, PlanNode } from './index.js';

/** How record fields map to columns: a column name, or `{ column?, type? }`. */
export type ColumnMap = Record<string, string | { column?: string; type?: 'text' | 'integer' | 'text_list' | 'integer_list' }>;

/** A query plan as a parameterised SQL condition: `{ text, params }`. */
export function toSql(plan: QueryPlan | string, options: { dialect: 'postgres' | 'sqlite'; columns?: ColumnMap }): { text: string; params: (string | number)[] };
/** A query plan as a Prisma `where` object. */
export function toPrisma(plan: QueryPlan | string, options?: { columns?: ColumnMap }): Record<string, unknown>;
/** A query plan as a MongoDB filter. */
export function toMongo(plan: QueryPlan | string, options?: { columns?: ColumnMap }): Record<string, unknown>;

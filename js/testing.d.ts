// rolegate/testing: test snapshots, gates and assertions for an application's own tests (Node only).
import type { Gate, GateOptions } from './index.js';
import type { Claims, Jwks, User } from './issuer.js';

/** A JSON document: an object, JSON text, or a file path or URL. */
export type JsonSource<T> = T | string | URL;

/** Options of `createTestKit`. */
export interface TestKitOptions {
  /** The policy the application ships (needed for user records and routes, menus, fields). */
  policy?: JsonSource<object>;
  /** Sample users by name, e.g. `examples/policies/neptunecrm.users.json`. */
  users?: JsonSource<Record<string, User>>;
  /** A tenant's custom roles: role id → role. */
  customRoles?: JsonSource<Record<string, object>>;
  /** The audience of every snapshot and gate (default `'rolegate-test'`). */
  audience?: string;
  /** The issuer (`iss`) put in snapshots and expected by the kit's gates. */
  issuer?: string;
  /** The key id (default `rolegate-test-` and a random suffix). */
  kid?: string;
  /** The kit's clock in seconds, fixed or a function (default: the real time). See `testClock`. */
  now?: number | (() => number);
}

/** Ad-hoc grants instead of roles: `{ grants: ['page.*'], deny: ['page.admin.*'] }` plus user fields. */
export interface AdHocGrants extends Omit<Partial<User>, 'roles'> {
  grants: string[];
  deny?: string[];
}

/** Who a test snapshot is for: a sample user's name, a user record, or ad-hoc grants. */
export type Who = string | User | AdHocGrants;

/** How a test snapshot is made. */
export interface SnapshotOptions {
  /** Lifetime in seconds (default 600). */
  ttl?: number;
  /** Issue time, seconds since the epoch (default: the kit's now). */
  now?: number;
  /** Expiry, seconds since the epoch (instead of `ttl`). */
  expiresAt?: number;
  /** The revision (default 1). */
  rev?: number;
  /** The user's tenant (`tid`), replacing the record's. */
  tenant?: string;
  /** The platforms the user may use, replacing the record's (needs a policy). */
  platforms?: string[];
  /** The issuer (`iss`). */
  issuer?: string;
  /** A snapshot id (`jti`). */
  jti?: string;
}

/** Options of `kit.gate`: the gate's own (the UI `platform`, clock, grace…) and the snapshot's. */
export type KitGateOptions = Pick<GateOptions, 'platform' | 'clockSkewSec' | 'offlineGraceSec' | 'refreshAheadSec' | 'maxTokenBytes'>
  & Omit<SnapshotOptions, 'now'> & { now?: number | (() => number) };

/** Options of `kit.attach`. */
export interface AttachOptions extends Pick<SnapshotOptions, 'ttl' | 'rev' | 'tenant' | 'platforms' | 'issuer'> {
  /** Where the page fetches the JWKS (a Playwright URL pattern; default `'**\/api/jwks.json'`). */
  jwksUrl?: string | RegExp;
  /** Where the page fetches its snapshot (default `'**\/api/snapshot*'`). */
  snapshotUrl?: string | RegExp;
  /** The response for a snapshot request (default `{ token, sub, rev, iat, exp }` as JSON, like `rolegate serve`). */
  respond?: (token: string, claims: Claims | null) => { status?: number; contentType?: string; body?: string; headers?: Record<string, string> };
  /** Also write the first snapshot into storage before the page's scripts run: a key, or `{ key, area }`. */
  storage?: string | { key: string; area?: 'localStorage' | 'sessionStorage' };
  /** Install Playwright's clock at the kit's now, so `expire()` can move time (default true). */
  clock?: boolean;
}

/** A test kit: a throw-away key pair, the policy and its sample users. */
export class TestKit {
  private constructor();
  /** The audience of every snapshot and gate of the kit. */
  readonly audience: string;
  /** The JWKS with the kit's public key only. */
  readonly jwks: Jwks;
  /** The key id of the kit's key. */
  readonly kid: string;
  /** The kit's clock, seconds since the epoch. */
  readonly now: () => number;
  /** A copy of a sample user. */
  user(name: string): User;
  /** The claims of a test snapshot for `who`. */
  claims(who: Who, options?: SnapshotOptions): Claims;
  /** A signed test snapshot for `who`. */
  token(who: Who, options?: SnapshotOptions): string;
  /** Signs claims with the kit's key as they are. */
  sign(claims: Claims | string): string;
  /** A snapshot that expired `agoSec` seconds ago (default 3600). */
  expiredToken(who: Who, agoSec?: number, options?: Omit<SnapshotOptions, 'now' | 'ttl' | 'expiresAt'>): string;
  /** `token` with one character of `part` changed. */
  tamper(token: string, part?: 'signature' | 'payload' | 'header'): string;
  /** A Gate trusting the kit's key only, with `who`'s snapshot loaded (none when `who` is undefined). */
  gate<K extends string = string>(who?: Who, options?: KitGateOptions): Gate<K>;
  /** Serves the kit's JWKS and `who`'s snapshots to a Playwright page; call before `page.goto`. */
  attach(page: PlaywrightPage, who: Who, options?: AttachOptions): Promise<PageSession>;
  /** Frees the kit's key and compiler. */
  free(): void;
}

/** The parts of Playwright's `Page` that `attach` uses (a Playwright `Page` is one). */
export interface PlaywrightPage {
  route(url: string | RegExp, handler: (route: { fulfill(response: object): Promise<void> }) => unknown): Promise<unknown>;
  addInitScript(script: (arg: [string, string, string]) => void, arg: [string, string, string]): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
  clock: { install(options: { time: number }): Promise<unknown>; fastForward(ms: number): Promise<unknown> };
}

/** One page's snapshot server in a test (from `kit.attach`). */
export class PageSession {
  private constructor();
  /** The last snapshot served, or null. */
  readonly token: string | null;
  /** The claims of the last fresh snapshot served, or null. */
  readonly claims: Claims | null;
  /** Signs and remembers a fresh snapshot for the current user. */
  issue(): string;
  /** From the next request on, snapshots are for `who`. */
  as(who: Who, options?: Pick<SnapshotOptions, 'ttl' | 'rev' | 'tenant' | 'platforms' | 'issuer'>): void;
  /** From the next request on, serve exactly `token`. */
  serve(token: string): void;
  /** From the next request on, serve a fresh snapshot with one character of `part` changed. */
  tamper(part?: 'signature' | 'payload' | 'header'): void;
  /** Ends the session (401 from now on) and moves the page clock past the last snapshot's expiry and the app gate's clock skew (default 60 s). */
  expire(options?: { clockSkewSec?: number }): Promise<void>;
}

/** A clock for tests: `now()` returns the time it is set to until moved. */
export function testClock(start?: number): { now(): number; advance(sec: number): number; set(sec: number): number };

/** Creates a test kit (and initialises both wasm modules). */
export function createTestKit(options?: TestKitOptions): Promise<TestKit>;

/** `token` with one character of `part` changed, still valid base64url. */
export function tamper(token: string, part?: 'signature' | 'payload' | 'header'): string;

/** What a matcher returns (the shape `expect.extend` takes). */
export interface MatcherResult {
  pass: boolean;
  message(): string;
}

/** Matchers for `expect.extend(matchers)` (Vitest, Jest, Playwright). */
export const matchers: {
  toAllow(gate: Gate, key: string, record?: object): MatcherResult;
  toDeny(gate: Gate, key: string, options?: { record?: object; code?: string }): MatcherResult;
  toAllowRoute(gate: Gate, path: string): MatcherResult;
  toBlockRoute(gate: Gate, path: string, options?: { redirect?: string; code?: string }): MatcherResult;
  toMaskField(gate: Gate, resource: string, field: string, record?: object): MatcherResult;
  toShowField(gate: Gate, resource: string, field: string, record?: object): MatcherResult;
  toShowMenu(gate: Gate, ids: string[], tree?: object[]): MatcherResult;
};

/** Throws an AssertionError (with the reason code) unless the user may do `key`. */
export function assertAllowed(gate: Gate, key: string, record?: object): void;
/** Throws unless `key` is denied (with `code`, if given). */
export function assertDenied(gate: Gate, key: string, options?: { record?: object; code?: string }): void;
/** Throws unless the user may open `path`. */
export function assertRouteAllowed(gate: Gate, path: string): void;
/** Throws unless `path` is blocked (with `redirect` and `code`, if given). */
export function assertRouteBlocked(gate: Gate, path: string, options?: { redirect?: string; code?: string }): void;
/** Throws unless `resource.field` is masked. */
export function assertFieldMasked(gate: Gate, resource: string, field: string, record?: object): void;
/** Throws unless `resource.field` is a governed field the user sees. */
export function assertFieldVisible(gate: Gate, resource: string, field: string, record?: object): void;
/** Throws unless the menu shows exactly `ids` (every level, any order). */
export function assertMenu(gate: Gate, ids: string[], tree?: object[]): void;

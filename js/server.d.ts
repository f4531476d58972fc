// rolegate/server: request guards for Node back ends (ES module only).
import type { Decision, ErrorCode, GateOptions, RouteDecision } from './index.js';
import { Gate, RolegateError } from './index.js';

export { RolegateError };

/** The codes a guard refuses a request with (401): the gate's token errors, and `missing_token`. */
export type ServerErrorCode = ErrorCode | 'missing_token';

/** How a guard reads and checks each request's snapshot: the browser gate's options, and its own. */
export interface GuardOptions extends GateOptions {
  /** The name of a cookie holding the token, read when the request has no `Authorization: Bearer` header. */
  cookie?: string;
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
}

/** What a route or key guard requires: the request path's route (`true`) or a given path's, and a key. */
export interface Need<K extends string = string> {
  route?: boolean | string;
  key?: K;
}

/** An HTTP answer to a refused request. `body` is the JSON text of `{ code, message }`. */
export interface Refusal {
  status: 401 | 403;
  headers: { 'content-type': string; 'cache-control': string; 'www-authenticate': string };
  body: string;
}

/** The request a guard reads: its headers (and, for `{ route: true }`, its URL). */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  url?: string;
  originalUrl?: string;
  rolegate?: RequestGate;
}

/** The response `handle` answers on: a `node:http` `ServerResponse` (only what the guard uses). */
export interface ResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished?: boolean;
  readonly destroyed?: boolean;
}

/** The gate of one request: a `Gate` of the planner module with the request's snapshot loaded (`query` gives its plans). */
export class RequestGate<K extends string = string, R extends string = string> extends Gate<K, R> {
  private constructor();
}

/** Checks requests' snapshots; made by `createGuard`. */
export class Guard<K extends string = string, R extends string = string> {
  private constructor();
  /** The token a request carries (`Authorization: Bearer`, else the cookie), or undefined. */
  token(req: RequestLike): string | undefined;
  /** The request's gate, or throws a RolegateError (`missing_token`, `expired`, `bad_signature` …); free it when done. */
  authenticate(req: RequestLike): RequestGate<K, R>;
  /** The HTTP answer to an error of `authenticate` (401) or a denied decision (403). */
  refusal(reason: RolegateError | Decision): Refusal;
  /** The first denied decision of `need`, or null when everything it names is allowed. */
  decide(gate: Gate<K, R>, req: RequestLike, need?: Need<K>): Decision | RouteDecision | null;
  /** `node:http`: the request's gate (also `req.rolegate`), or null after answering 401 / 403. */
  handle(req: RequestLike, res: ResponseLike, need?: Need<K>): RequestGate<K, R> | null;
  /** Express middleware: sets `req.rolegate` or answers 401 (403 when `need` is denied). */
  express(need?: Need<K>): (req: any, res: any, next: (err?: unknown) => void) => void;
  /** A Fastify `onRequest` / `preHandler` hook: sets `request.rolegate` or answers 401 (403 when `need` is denied). */
  fastify(need?: Need<K>): (request: any, reply: any) => Promise<unknown>;
}

/** Loads the gate's planner module and the issuer's (for `toSql`, `toPrisma`, `toMongo`); await it once, before any `init()` of `rolegate`. */
export function init(): Promise<void>;

/** A request guard with the browser gate's options plus `cookie` and `realm`. */
export function createGuard<K extends string = string, R extends string = string>(options: GuardOptions): Guard<K, R>;

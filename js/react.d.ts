// rolegate/react: a provider, hooks and components over a Gate (docs/react.md). Every answer comes from
// the gate; while no snapshot is in force (before the first load, after `clear()`, on the server and
// while hydrating) nothing gated renders.
import type { ReactNode } from 'react';
import type { Decision, FieldDecision, Gate, Masked, MenuNode, RecordLike, RouteDecision, Status } from './index.js';

/** Makes `gate` available to the hooks and components below it. */
export function RolegateProvider(props: { gate: Gate; children?: ReactNode }): ReactNode;

/**
 * The gate from the provider, for event handlers and loaders; the component re-renders whenever the
 * snapshot in force changes. In render, prefer the hooks: they render the pending state on the server
 * and while hydrating.
 */
export function useGate(): Gate;

/** The gate's status as of the last change; `loaded` is false while pending (and on the server). */
export function useStatus(): Status;

/** Whether the user may do `key` (on `record`, if given); false while no snapshot is in force. */
export function useCan(key: string, record?: RecordLike): boolean;

/** The gate's decision for `key` (on `record`, if given), or null while no snapshot is in force. */
export function useCheck(key: string, record?: RecordLike): Decision | null;

/** The gate's decision for opening `path`, or null while no snapshot is in force. */
export function useRoute(path: string): RouteDecision | null;

/** The policy's menu, filtered; empty while no snapshot is in force. */
export function useMenu(): MenuNode[];
/** Copies of `tree`'s allowed nodes (hidden items and empty sections dropped); empty while no snapshot is in force. */
export function useMenu<N extends MenuNode>(tree: readonly N[]): N[];

/** The gate's masked copy of `record`; `{ value: {}, masked: [] }` while no snapshot is in force. */
export function useMask<T extends object>(resource: string, record: T): Masked<T>;

/** Each governed field of `resource` (on `record`, if given) with its decision; empty while no snapshot is in force. */
export function useFields(resource: string, record?: RecordLike): FieldDecision[];

/** The records the user may see (the same objects, in order); empty while no snapshot is in force. */
export function useFilter<T extends object>(resource: string, records: Iterable<T>): T[];

/** The props of `<Can>`; `K` is the union of the policy's keys. */
export interface CanProps<K extends string = string> {
  /** The permission key. */
  I: K;
  /** The record the key applies to (own, team, tenant … conditions). */
  record?: RecordLike;
  /** Render `children` when the gate denies, `fallback` when it allows (once a snapshot is in force). */
  not?: boolean;
  /** Always render `children` (a function receives the decision, null while pending). */
  passThrough?: boolean;
  /** Rendered instead of `children` when they are not to be shown (default nothing). */
  fallback?: ReactNode;
  /** Rendered while no snapshot is in force (default nothing). */
  pending?: ReactNode;
  /** What to render, or a function of the decision (null while pending). */
  children?: ReactNode | ((decision: Decision | null) => ReactNode);
}

/** Renders `children` when the gate allows `I`, `fallback` when not, `pending` while no snapshot is in force. */
export function Can(props: CanProps): ReactNode;

/** The props of `<Guard>`. */
export interface GuardProps {
  /** The path to be opened, as the router sees it. */
  path: string;
  /** Called after rendering, once per denial, with where to send the user (`decision.redirect`). */
  onDeny?: (decision: RouteDecision) => void;
  /** Rendered when the gate denies the path (default nothing). */
  fallback?: ReactNode;
  /** Rendered while no snapshot is in force (default nothing); `onDeny` is not called meanwhile. */
  pending?: ReactNode;
  children?: ReactNode;
}

/** Renders `children` when the gate lets the user open `path`; otherwise `fallback`, and calls `onDeny`. */
export function Guard(props: GuardProps): ReactNode;

/**
 * The provider, hooks and components typed with the policy's permission keys `K` and resource types
 * `R` (both written by `rolegate types`): a misspelt key in `<Can I>`, `useCan`, `useCheck`, or a
 * misspelt resource in `useMask`, `useFields`, `useFilter`, is a compile error.
 */
export interface RolegateReact<K extends string, R extends string> {
  RolegateProvider(props: { gate: Gate<K, R>; children?: ReactNode }): ReactNode;
  useGate(): Gate<K, R>;
  useStatus(): Status;
  useCan(key: K, record?: RecordLike): boolean;
  useCheck(key: K, record?: RecordLike): Decision | null;
  useRoute(path: string): RouteDecision | null;
  useMenu(): MenuNode[];
  useMenu<N extends MenuNode>(tree: readonly N[]): N[];
  useMask<T extends object>(resource: R, record: T): Masked<T>;
  useFields(resource: R, record?: RecordLike): FieldDecision[];
  useFilter<T extends object>(resource: R, records: Iterable<T>): T[];
  Can(props: CanProps<K>): ReactNode;
  Guard(props: GuardProps): ReactNode;
}

/**
 * The module's provider, hooks and components, typed: `const { Can, useCan, useMask } =
 * createRolegateReact<PermissionKey, ResourceName>();` (the same functions at run time).
 */
export function createRolegateReact<K extends string = string, R extends string = string>(): RolegateReact<K, R>;

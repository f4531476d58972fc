// rolegate/react: a provider, hooks and components over a Gate (docs/react.md). Every answer comes from
// the gate; while no snapshot is in force (before the first load, after `clear()`, on the server and
// while hydrating) nothing gated renders.
import type { ReactNode } from 'react';
import type { Decision, Gate, MenuNode, RecordLike, RouteDecision, Status } from './index.js';

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

/** The props of `<Can>`. */
export interface CanProps {
  /** The permission key. */
  I: string;
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

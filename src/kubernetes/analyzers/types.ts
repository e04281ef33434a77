/**
 * What every analyzer returns: problems found on raw objects and their events, each with a stable reason code,
 * the API's own message, a severity and the evidence behind it.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import type { ClusterSnapshot } from '../snapshot.ts';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 3, warning: 2, info: 1 };

export interface Problem {
  kind: string;
  namespace: string;
  name: string;
  /** `Kind/namespace/name` of the object the problem is about. */
  resource: string;
  /**
   * The built-in workload the object belongs to, e.g. `Deployment/checkout/checkout-api` or a StatefulSet an
   * operator's custom resource owns (the object itself when it has no owner; see ClusterSnapshot.workloadOf).
   */
  workload: string;
  /** The whole owner chain, object first, when it goes on above the workload (an operator's custom resource). */
  owner_chain?: string[];
  /** Stable machine code: CrashLoopBackOff, OOMKilled, Unschedulable, ProbeFailure, ServiceNoEndpoints, NodeNotReady... */
  reason: string;
  /** The API's own text (condition, container state or event message), verbatim where the API has one. */
  message: string;
  severity: Severity;
  /** Epoch ms of the earliest sign of the problem. */
  since: number;
  /** Occurrences: restarts, event count, affected replicas. */
  count: number;
  evidence: string[];
  /** Container the problem is about, for pod problems. */
  container?: string;
  /** Objects rolled up into this problem when grouped by workload. */
  affected?: string[];
  /**
   * `events`: the object is not in the recorded lists (a deleted pod, a replaced node, nodes not recorded at
   * all); the problem was derived from the events about it, and from pods' node names and eviction messages.
   */
  derived_from?: 'events';
}

export interface AnalyzerContext {
  snapshot: ClusterSnapshot;
  now: number;
  /** Events last seen before this, and restarts or rollouts older than it, are history rather than problems. */
  since: number;
}

/** One analyzer per kind: a pure function of one object and the snapshot it belongs to. */
export type ObjectAnalyzer = (ctx: AnalyzerContext, obj: KubeObject) => Problem[];

/**
 * What the Kubernetes tools need from a cluster: raw API objects and container logs, exactly as the API server
 * returns them. The fixture provider reads `kubectl get -o json` files; the EKS provider calls the API server.
 * All derivation (status, rollout history, problems) happens above this port, once, for both.
 */
export const KUBE_KINDS = [
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'events',
  'nodes',
  'services',
  'endpoints',
  'hpa',
  'pvcs',
  'ingresses',
  /** PersistentVolumes: optional in recordings; their node affinity says which zone or node a volume lives in. */
  'pvs',
] as const;
export type KubeKind = (typeof KUBE_KINDS)[number];

export const CLUSTER_SCOPED_KINDS: ReadonlySet<KubeKind> = new Set(['nodes', 'pvs']);

/**
 * Kinds that only add detail: a caller without read access to them (the Kubernetes `view` role does not cover
 * PersistentVolumes) gets no objects rather than a failed tool call.
 */
export const OPTIONAL_KINDS: ReadonlySet<KubeKind> = new Set(['pvs']);

/** A Kubernetes API object as returned by the API server (fields we read are typed where we read them). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ apiVersion?: string; kind: string; name: string; uid?: string; controller?: boolean }>;
    [key: string]: unknown;
  };
  // The API's spec/status shapes vary per kind; analyzers narrow them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [key: string]: unknown;
}

export interface ListOptions {
  /** Only this namespace; all namespaces when absent. Ignored for cluster-scoped kinds. */
  namespace?: string;
}

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  /** The previous (terminated) container instance, as `kubectl logs --previous`. */
  previous?: boolean;
  /** Only the last lines, as `--tail`. */
  tailLines?: number;
}

export interface KubernetesProvider {
  /** Every object of a kind (within the namespace when given). Missing data is an empty list, never an error. */
  list(kind: KubeKind, options?: ListOptions): Promise<KubeObject[]>;
  /**
   * Container log text with an RFC 3339 timestamp at the start of each line (`kubectl logs --timestamps`);
   * null when the API has no such log (no previous container, pod gone).
   */
  podLogs(request: PodLogRequest): Promise<string | null>;
}

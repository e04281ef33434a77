/**
 * What the Kubernetes operations share: loading a snapshot of just the lists an operation needs, finding named
 * objects with errors a model can act on, and the output shape of a problem.
 */
import type { Problem } from '../../kubernetes/analyzers/index.ts';
import { iso } from '../../kubernetes/objects.ts';
import { ClusterSnapshot, type KubeLists } from '../../kubernetes/snapshot.ts';
import { CLUSTER_SCOPED_KINDS, type KubeKind, type KubeObject, type KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { ToolError } from '../errors.ts';

/** The lists owner chains need (Pod → ReplicaSet → Deployment, Pod → Job, StatefulSet, DaemonSet). */
export const OWNER_KINDS: readonly KubeKind[] = ['pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs'];

/** The lists an ingress controller is found in, and its Services: read cluster-wide for a namespace's Ingresses. */
export const INGRESS_CONTROLLER_KINDS: readonly KubeKind[] = ['deployments', 'daemonsets', 'services'];

export interface LoadOptions {
  /**
   * When a namespaced load holds Ingresses, read the Deployments, DaemonSets and Services of every namespace
   * too: the controller serving their class usually runs in a namespace of its own.
   */
  ingressControllers?: boolean;
}

/**
 * Lists the given kinds (within the namespace when given) and indexes them. Node and PersistentVolume events live
 * in the `default` namespace, so a namespaced load of events also reads those about cluster-scoped objects there.
 */
export async function loadSnapshot(
  provider: KubernetesProvider,
  now: number,
  kinds: readonly KubeKind[],
  namespace?: string,
  options: LoadOptions = {},
): Promise<ClusterSnapshot> {
  const unique = [...new Set(kinds)];
  const listed = new Map(
    await Promise.all(
      unique.map(async (kind): Promise<[KubeKind, KubeObject[]]> => {
        if (CLUSTER_SCOPED_KINDS.has(kind) || !namespace) return [kind, await provider.list(kind)];
        const items = await provider.list(kind, { namespace });
        if (kind === 'events' && namespace !== 'default') {
          const clusterEvents = (await provider.list('events', { namespace: 'default' })).filter((e) => {
            const involved = (e.involvedObject ?? e.regarding) as { kind?: string } | undefined;
            return involved?.kind === 'Node' || involved?.kind === 'PersistentVolume';
          });
          return [kind, [...items, ...clusterEvents]];
        }
        return [kind, items];
      }),
    ),
  );
  if (namespace && options.ingressControllers && (listed.get('ingresses')?.length ?? 0) > 0) {
    const wide = await Promise.all(INGRESS_CONTROLLER_KINDS.map(async (kind): Promise<[KubeKind, KubeObject[]]> => [kind, await provider.list(kind)]));
    for (const [kind, items] of wide) listed.set(kind, items);
  }
  return new ClusterSnapshot(Object.fromEntries(listed) as KubeLists, now);
}

/** Objects matching a name exactly, or else named after it (`checkout-api` → `checkout-api-7f9c6d-x2k4p`). */
export function byNameOrPrefix(objects: readonly KubeObject[], name: string): KubeObject[] {
  const exact = objects.filter((o) => o.metadata.name === name);
  if (exact.length) return exact;
  return objects.filter((o) => o.metadata.name.startsWith(`${name}-`));
}

/** The one object of a kind with this name; NotFound (with the near names) or InvalidArgument when ambiguous. */
export function findOne(objects: readonly KubeObject[], kind: string, name: string, namespace: string | undefined, field: string): KubeObject {
  const matches = objects.filter((o) => o.metadata.name === name && (!namespace || o.metadata.namespace === namespace));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new ToolError(
      'InvalidArgument',
      `${kind} '${name}' exists in several namespaces (${matches.map((m) => m.metadata.namespace).join(', ')}); give 'namespace'`,
      'namespace',
    );
  }
  const near = objects
    .filter((o) => !namespace || o.metadata.namespace === namespace)
    .map((o) => o.metadata.name)
    .filter((n) => n.includes(name) || name.includes(n))
    .slice(0, 5);
  const where = namespace ? ` in namespace '${namespace}'` : '';
  throw new ToolError('NotFound', `No ${kind} named '${name}'${where}${near.length ? `; similar: ${near.join(', ')}` : ''}`, field);
}

export interface ProblemView {
  kind: string;
  namespace: string;
  name: string;
  resource: string;
  workload: string;
  owner_chain?: string[];
  reason: string;
  message: string;
  severity: string;
  since: string;
  count: number;
  evidence: string[];
  container?: string;
  affected?: string[];
  derived_from?: 'events';
}

export function problemView(p: Problem): ProblemView {
  return {
    kind: p.kind,
    namespace: p.namespace,
    name: p.name,
    resource: p.resource,
    workload: p.workload,
    ...(p.owner_chain ? { owner_chain: p.owner_chain } : {}),
    reason: p.reason,
    message: p.message,
    severity: p.severity,
    since: iso(p.since),
    count: p.count,
    evidence: p.evidence,
    ...(p.container ? { container: p.container } : {}),
    ...(p.affected ? { affected: p.affected } : {}),
    ...(p.derived_from ? { derived_from: p.derived_from } : {}),
  };
}

export function windowView(start: number, end: number): { start: string; end: string } {
  return { start: iso(start), end: iso(end) };
}

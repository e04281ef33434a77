/** describe_resource: one object as `kubectl describe` reads it, with its owner chain, events and problems. */
import { ANALYZERS, rank } from '../../kubernetes/analyzers/index.ts';
import { describeObject } from '../../kubernetes/describe.ts';
import { eventView } from '../../kubernetes/events.ts';
import { LIST_OF_KIND, canonicalKind, isClusterScopedKind } from '../../kubernetes/objects.ts';
import { KUBE_KINDS, type KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded } from '../common.ts';
import { ToolError } from '../errors.ts';
import type { OperationContext } from '../invoke.ts';
import { DEFAULT_PROBLEM_LOOKBACK_MS } from './problems.ts';
import { findOne, loadSnapshot, problemView } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

export async function describeResource(args: { kind: string; name: string; namespace?: string; limit: number }, ctx: Ctx) {
  const kind = canonicalKind(args.kind);
  if (!kind || !LIST_OF_KIND[kind] || kind === 'Event') {
    throw new ToolError('InvalidArgument', `Cannot describe kind '${args.kind}'; use one of: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, Service, Endpoints, Ingress, Node, PersistentVolumeClaim, PersistentVolume, HorizontalPodAutoscaler`, 'kind');
  }
  const namespace = isClusterScopedKind(kind) ? undefined : args.namespace;
  // Everything: owner chains, managed objects and their events all feed the description.
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, KUBE_KINDS, namespace, { ingressControllers: kind === 'Ingress' });
  const obj = findOne(snapshot.objects(kind), kind, args.name, namespace, 'name');
  const description = describeObject(snapshot, kind, obj);
  const analyzer = ANALYZERS.find((a) => a.kind === kind);
  const problems = analyzer ? analyzer.analyze({ snapshot, now: ctx.now, since: ctx.now - DEFAULT_PROBLEM_LOOKBACK_MS }, obj).sort(rank) : [];
  const page = bounded(description.events, args.limit);
  return {
    ...description,
    events: page.items.map(eventView),
    total_count: page.total_count,
    truncated: page.truncated,
    problems: problems.map(problemView),
  };
}

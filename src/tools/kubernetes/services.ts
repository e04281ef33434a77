/** get_service_status and get_autoscaler_status: what fronts a workload, and how it scales. */
import { hpaConditions, hpaMetrics } from '../../kubernetes/analyzers/hpa.ts';
import { asNumber, asString, epochOf, iso } from '../../kubernetes/objects.ts';
import { conditionView, podStatusColumns } from '../../kubernetes/pod-status.ts';
import { formatMapSelector } from '../../kubernetes/selectors.ts';
import { serviceBackends, servicePorts } from '../../kubernetes/service-backends.ts';
import type { ClusterSnapshot } from '../../kubernetes/snapshot.ts';
import type { KubeObject, KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { OWNER_KINDS, findOne, loadSnapshot } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

export async function getServiceStatus(args: { namespace?: string; service_name?: string; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['services', 'endpoints', ...OWNER_KINDS], args.namespace);
  let services = snapshot.list('services').filter((s) => s?.metadata?.name && (!args.namespace || s.metadata.namespace === args.namespace));
  if (args.service_name) services = [findOne(services, 'Service', args.service_name, args.namespace, 'service_name')];
  const views = services.map((svc) => serviceView(snapshot, svc));
  const rank: Record<string, number> = { NoEndpoints: 0, NoReadyEndpoints: 0, PartiallyReady: 1, Healthy: 2, NoSelector: 3, ExternalName: 3 };
  views.sort((a, b) => (rank[a.status] ?? 4) - (rank[b.status] ?? 4) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const page = bounded(views, args.limit);
  return { services: page.items, total_count: page.total_count, truncated: page.truncated };
}

function serviceView(snapshot: ClusterSnapshot, svc: KubeObject) {
  const b = serviceBackends(snapshot, svc);
  const selectorMap = svc.spec?.selector as Record<string, string> | undefined;
  return {
    name: svc.metadata.name,
    namespace: svc.metadata.namespace ?? '',
    type: b.type,
    status: b.status,
    ...(b.externalName ? { external_name: b.externalName } : {}),
    ...(asString(svc.spec?.clusterIP) ? { cluster_ip: svc.spec.clusterIP } : {}),
    ports: servicePorts(svc),
    ...(b.hasSelector ? { selector: formatMapSelector(selectorMap) } : {}),
    ready_endpoints: b.ready,
    not_ready_endpoints: b.notReady,
    endpoints_source: b.source,
    ...(!b.hasSelector && b.hasEndpointsObject ? { manual_endpoints: true } : {}),
    matching_pods: b.pods.map((p) => {
      const c = podStatusColumns(p);
      return { name: p.metadata.name, status: c.status, ready: `${c.readyContainers}/${c.totalContainers}` };
    }),
    backing_workloads: b.workloads,
  };
}

export async function getAutoscalerStatus(args: { namespace?: string; name?: string; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['hpa'], args.namespace);
  let hpas = snapshot.list('hpa').filter((h) => h?.metadata?.name && (!args.namespace || h.metadata.namespace === args.namespace));
  if (args.name) {
    // Either the autoscaler's own name or the name of the workload it scales.
    const byTarget = hpas.filter((h) => h.spec?.scaleTargetRef?.name === args.name && (!args.namespace || h.metadata.namespace === args.namespace));
    hpas = byTarget.length && !hpas.some((h) => h.metadata.name === args.name) ? byTarget : [findOne(hpas, 'HorizontalPodAutoscaler', args.name, args.namespace, 'name')];
  }
  const views = hpas.map((h) => {
    const current = asNumber(h.status?.currentReplicas);
    const max = asNumber(h.spec?.maxReplicas);
    const lastScale = epochOf(h.status?.lastScaleTime);
    const target = h.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
    return {
      name: h.metadata.name,
      namespace: h.metadata.namespace ?? '',
      target: `${target?.kind ?? '?'}/${h.metadata.namespace ?? ''}/${target?.name ?? '?'}`,
      min_replicas: asNumber(h.spec?.minReplicas, 1),
      max_replicas: max,
      current_replicas: current,
      desired_replicas: asNumber(h.status?.desiredReplicas, current),
      at_max: max > 0 && current >= max,
      metrics: hpaMetrics(h).map((m) => m.text),
      ...(lastScale !== undefined ? { last_scale_time: iso(lastScale) } : {}),
      conditions: hpaConditions(h).map(conditionView),
    };
  });
  views.sort((a, b) => Number(b.at_max) - Number(a.at_max) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const page = bounded(views, args.limit);
  return { autoscalers: page.items, total_count: page.total_count, truncated: page.truncated };
}

/** get_service_status and get_autoscaler_status: what fronts a workload, and how it scales. */
import { hpaConditions, hpaMetrics } from '../../kubernetes/analyzers/hpa.ts';
import { asNumber, asString, conditionOf, epochOf, iso } from '../../kubernetes/objects.ts';
import { conditionView, podStatusColumns } from '../../kubernetes/pod-status.ts';
import { holdsResources } from '../../kubernetes/resources.ts';
import { formatMapSelector, fromMap, matchesSelector } from '../../kubernetes/selectors.ts';
import type { KubeObject, KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { OWNER_KINDS, findOne, loadSnapshot } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

interface Address {
  ip?: string;
  targetRef?: { kind?: string; name?: string };
}

export async function getServiceStatus(args: { namespace?: string; service_name?: string; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['services', 'endpoints', ...OWNER_KINDS], args.namespace);
  let services = snapshot.list('services').filter((s) => s?.metadata?.name && (!args.namespace || s.metadata.namespace === args.namespace));
  if (args.service_name) services = [findOne(services, 'Service', args.service_name, args.namespace, 'service_name')];
  const endpointsRecorded = snapshot.list('endpoints').length > 0;
  const views = services.map((svc) => {
    const ns = svc.metadata.namespace ?? '';
    const selectorMap = svc.spec?.selector as Record<string, string> | undefined;
    const hasSelector = !!selectorMap && Object.keys(selectorMap).length > 0;
    const pods = hasSelector
      ? snapshot.list('pods').filter((p) => (p.metadata.namespace ?? '') === ns && holdsResources(p) && matchesSelector(p.metadata.labels, fromMap(selectorMap)))
      : [];
    let ready: string[];
    let notReady: string[];
    const endpoints = snapshot.get('Endpoints', ns, svc.metadata.name);
    const source = endpoints || endpointsRecorded ? 'endpoints' : 'pods';
    if (source === 'endpoints') {
      const subsets = (endpoints?.subsets ?? []) as Array<{ addresses?: Address[]; notReadyAddresses?: Address[] }>;
      const label = (a: Address) => a.targetRef?.name ?? a.ip ?? '?';
      ready = subsets.flatMap((s) => (s.addresses ?? []).map(label));
      notReady = subsets.flatMap((s) => (s.notReadyAddresses ?? []).map(label));
    } else {
      const isReady = (p: KubeObject) => conditionOf(p, 'Ready')?.status === 'True';
      ready = pods.filter(isReady).map((p) => p.metadata.name);
      notReady = pods.filter((p) => !isReady(p)).map((p) => p.metadata.name);
    }
    const type = asString(svc.spec?.type) ?? 'ClusterIP';
    const status =
      type === 'ExternalName' || !hasSelector ? 'NoSelector' : !ready.length ? (pods.length ? 'NoReadyEndpoints' : 'NoEndpoints') : notReady.length ? 'PartiallyReady' : 'Healthy';
    return {
      name: svc.metadata.name,
      namespace: ns,
      type,
      status,
      ...(asString(svc.spec?.clusterIP) ? { cluster_ip: svc.spec.clusterIP } : {}),
      ports: ((svc.spec?.ports ?? []) as Array<{ name?: string; port?: number; targetPort?: unknown; protocol?: string }>).map(
        (p) => `${p.name ? `${p.name} ` : ''}${p.port}->${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}`,
      ),
      ...(hasSelector ? { selector: formatMapSelector(selectorMap) } : {}),
      ready_endpoints: ready,
      not_ready_endpoints: notReady,
      endpoints_source: source,
      matching_pods: pods.map((p) => {
        const c = podStatusColumns(p);
        return { name: p.metadata.name, status: c.status, ready: `${c.readyContainers}/${c.totalContainers}` };
      }),
      backing_workloads: [...new Set(pods.map((p) => snapshot.workloadOf('Pod', p)))],
    };
  });
  const rank: Record<string, number> = { NoEndpoints: 0, NoReadyEndpoints: 0, PartiallyReady: 1, Healthy: 2, NoSelector: 3 };
  views.sort((a, b) => rank[a.status]! - rank[b.status]! || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const page = bounded(views, args.limit);
  return { services: page.items, total_count: page.total_count, truncated: page.truncated };
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

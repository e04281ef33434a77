/**
 * Service analyzer: a Service whose selector matches no pod, whose endpoints are all not ready, or some of
 * them; from the recorded Endpoints, or from the pods' readiness when no Endpoints were recorded.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { conditionOf, epochOf } from '../objects.ts';
import { podStatusColumns } from '../pod-status.ts';
import { holdsResources } from '../resources.ts';
import { formatMapSelector, fromMap, matchesSelector } from '../selectors.ts';
import { templateMatches } from '../service-backends.ts';
import { earliest, makeProblem, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

interface Subset {
  addresses?: Array<{ ip?: string; targetRef?: { kind?: string; name?: string } }>;
  notReadyAddresses?: Array<{ ip?: string; targetRef?: { kind?: string; name?: string } }>;
}

export function analyzeService(ctx: AnalyzerContext, svc: KubeObject): Problem[] {
  const out: Problem[] = [];
  let backingWorkload: string | undefined;
  const selectorMap = svc.spec?.selector as Record<string, string> | undefined;
  const namespace = svc.metadata.namespace ?? '';
  if (svc.spec?.type !== 'ExternalName' && selectorMap && Object.keys(selectorMap).length) {
    const selector = fromMap(selectorMap);
    const selectorText = formatMapSelector(selectorMap);
    const pods = ctx.snapshot.list('pods').filter((p) => (p.metadata.namespace ?? '') === namespace && holdsResources(p) && matchesSelector(p.metadata.labels, selector));
    const workloads = [...new Set(pods.map((p) => ctx.snapshot.workloadOf('Pod', p)))];
    // No pod at all: the workloads whose pod template the selector matches are the ones not running.
    const idle = pods.length ? [] : templateMatches(ctx.snapshot, namespace, selector);
    const serving = workloads.length ? workloads : idle.map((w) => w.ref);
    if (serving.length === 1) backingWorkload = serving[0];
    const podStates = pods.slice(0, 5).map((p) => {
      const s = podStatusColumns(p);
      return `${p.metadata.name} ${s.status} ${s.readyContainers}/${s.totalContainers}`;
    });
    const backing = [
      ...(workloads.length ? [`backing workloads: ${workloads.join(', ')}`] : []),
      ...idle.map((w) => `${w.ref} selects these pods: ${w.state}`),
    ];
    let ready: string[];
    let notReady: string[];
    const endpoints = ctx.snapshot.get('Endpoints', namespace, svc.metadata.name);
    if (endpoints) {
      const subsets: Subset[] = Array.isArray(endpoints.subsets) ? (endpoints.subsets as Subset[]) : [];
      ready = subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.name ?? a.ip ?? '?'));
      notReady = subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.targetRef?.name ?? a.ip ?? '?'));
    } else {
      // The endpoints controller keeps an Endpoints object for every selector Service; when the recording has
      // none, judge the way the controller does, from the matching pods' readiness.
      const isReady = (p: KubeObject) => conditionOf(p, 'Ready')?.status === 'True';
      ready = pods.filter(isReady).map((p) => p.metadata.name);
      notReady = pods.filter((p) => !isReady(p) && p.status?.podIP).map((p) => p.metadata.name);
    }
    const notReadySince = Math.min(ctx.now, ...pods.map((p) => readySince(p)).filter((t): t is number => t !== undefined));
    if (!ready.length) {
      const since = pods.length ? notReadySince : (earliest(...idle.map((w) => w.since)) ?? ctx.now);
      out.push(
        makeProblem(ctx, 'Service', svc, {
          reason: pods.length ? 'ServiceNoReadyEndpoints' : 'ServiceNoEndpoints',
          message: pods.length
            ? `Service ${svc.metadata.name} has no ready endpoints: ${pods.length} pod${pods.length === 1 ? '' : 's'} match selector ${selectorText}, none ready${notReady.length ? ` (not ready: ${notReady.slice(0, 5).join(', ')})` : ''}`
            : `Service ${svc.metadata.name} has no endpoints: no pod matches selector ${selectorText}`,
          severity: 'critical',
          since,
          count: Math.max(1, pods.length),
          evidence: [...backing, ...podStates.map((s) => `pod ${s}`)],
        }),
      );
    } else if (notReady.length) {
      out.push(
        makeProblem(ctx, 'Service', svc, {
          reason: 'ServiceEndpointsNotReady',
          message: `Service ${svc.metadata.name} has not ready endpoints: ${notReady.slice(0, 5).join(', ')} (${ready.length} ready, ${notReady.length} not ready)`,
          severity: 'warning',
          since: notReadySince,
          count: notReady.length,
          evidence: [...backing, ...podStates.map((s) => `pod ${s}`)],
        }),
      );
    }
  }
  out.push(...warningEventProblems(ctx, 'Service', svc, new Set(), () => 'warning'));
  // A Service backed by exactly one workload: its endpoint problems are that workload's.
  return backingWorkload ? out.map((p) => ({ ...p, workload: backingWorkload })) : out;
}

function readySince(pod: KubeObject): number | undefined {
  const c = conditionOf(pod, 'Ready');
  return c?.status === 'False' ? epochOf(c.lastTransitionTime) : undefined;
}

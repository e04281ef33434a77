/**
 * HorizontalPodAutoscaler analyzer (autoscaling/v2, and v1 with its conditions annotation): at its maximum
 * (ScalingLimited TooManyReplicas, or current == max) with the metrics that drive it, unable to scale
 * (AbleToScale False) or to compute a replica count (ScalingActive False), a missing scale target.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { type Condition, LIST_OF_KIND, asNumber, asString, conditionsOf, epochOf } from '../objects.ts';
import { makeProblem, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

export function hpaConditions(hpa: KubeObject): Condition[] {
  const own = conditionsOf(hpa);
  if (own.length) return own;
  const raw = hpa.metadata.annotations?.[V1_CONDITIONS_ANNOTATION];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as Condition[]).filter((c) => c && typeof c.type === 'string') : [];
  } catch {
    return [];
  }
}

interface MetricLine {
  text: string;
  /** Current over target, when both are known. */
  ratio?: number;
}

/** The metrics the HPA scales on, current against target ("cpu utilization 96% (target 70%)"). */
export function hpaMetrics(hpa: KubeObject): MetricLine[] {
  const out: MetricLine[] = [];
  const specs = Array.isArray(hpa.spec?.metrics) ? (hpa.spec.metrics as Array<Record<string, any>>) : []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const current = Array.isArray(hpa.status?.currentMetrics) ? (hpa.status.currentMetrics as Array<Record<string, any>>) : []; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const spec of specs) {
    const type = String(spec.type ?? '');
    const key = type.charAt(0).toLowerCase() + type.slice(1);
    const s = spec[key] ?? {};
    const name = s.name ?? s.metric?.name ?? type;
    const cur = current.find((c) => c.type === type && ((c[key]?.name ?? c[key]?.metric?.name ?? type) === name))?.[key]?.current;
    const target = s.target ?? {};
    if (target.averageUtilization !== undefined) {
      const value = cur?.averageUtilization;
      out.push({ text: `${name} utilization ${value ?? '?'}% (target ${target.averageUtilization}%)`, ...(typeof value === 'number' ? { ratio: value / target.averageUtilization } : {}) });
    } else {
      const t = target.averageValue ?? target.value;
      const value = cur?.averageValue ?? cur?.value;
      out.push({ text: `${name} ${value ?? '?'} (target ${t ?? '?'})` });
    }
  }
  if (!specs.length && hpa.spec?.targetCPUUtilizationPercentage !== undefined) {
    const value = hpa.status?.currentCPUUtilizationPercentage;
    const target = asNumber(hpa.spec.targetCPUUtilizationPercentage);
    out.push({ text: `cpu utilization ${value ?? '?'}% (target ${target}%)`, ...(typeof value === 'number' && target ? { ratio: value / target } : {}) });
  }
  return out;
}

export function analyzeHpa(ctx: AnalyzerContext, hpa: KubeObject): Problem[] {
  const out: Problem[] = [];
  const conditions = hpaConditions(hpa);
  const min = asNumber(hpa.spec?.minReplicas, 1);
  const max = asNumber(hpa.spec?.maxReplicas);
  const current = asNumber(hpa.status?.currentReplicas);
  const desired = asNumber(hpa.status?.desiredReplicas, current);
  const metrics = hpaMetrics(hpa);
  const target = hpa.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
  const replicaLine = `replicas current ${current}, desired ${desired}, min ${min}, max ${max}`;
  const evidence = [replicaLine, ...metrics.map((m) => m.text), ...(target?.name ? [`scale target ${target.kind ?? '?'}/${hpa.metadata.namespace ?? ''}/${target.name}`] : [])];
  const covered = new Set<string>();
  const limited = conditions.find((c) => c.type === 'ScalingLimited');
  if (max > 0 && current >= max && (desired >= max || (limited?.status === 'True' && limited.reason === 'TooManyReplicas'))) {
    const overTarget = metrics.some((m) => (m.ratio ?? 0) > 1);
    out.push(
      makeProblem(ctx, 'HorizontalPodAutoscaler', hpa, {
        reason: 'HPAAtMaxReplicas',
        message: limited?.status === 'True' && limited.message ? limited.message : `the autoscaler runs at its maximum of ${max} replicas`,
        severity: overTarget ? 'critical' : 'warning',
        since: (limited?.status === 'True' ? epochOf(limited.lastTransitionTime) : undefined) ?? epochOf(hpa.status?.lastScaleTime) ?? ctx.now,
        count: current,
        // The condition's own reason (TooManyReplicas) is what `kubectl describe hpa` shows operators.
        evidence: limited?.status === 'True' ? [`condition ScalingLimited=True reason ${limited.reason ?? '-'}`, ...evidence] : evidence,
      }),
    );
  }
  for (const c of conditions) {
    if (c.status !== 'False') continue;
    if (c.type === 'AbleToScale' || (c.type === 'ScalingActive' && c.reason !== 'ScalingDisabled')) {
      out.push(
        makeProblem(ctx, 'HorizontalPodAutoscaler', hpa, {
          reason: c.type === 'AbleToScale' ? 'HPAUnableToScale' : 'HPAScalingInactive',
          message: asString(c.message) ?? asString(c.reason) ?? `${c.type} is False`,
          severity: 'warning',
          since: epochOf(c.lastTransitionTime) ?? ctx.now,
          evidence: [`condition ${c.type}=False${c.reason ? ` reason ${c.reason}` : ''}`, ...evidence],
        }),
      );
      covered.add('FailedGetResourceMetric').add('FailedGetScale').add('FailedComputeMetricsReplicas').add('FailedGetExternalMetric').add('FailedGetPodsMetric').add('FailedGetObjectMetric');
    }
  }
  const list = target?.kind ? LIST_OF_KIND[target.kind] : undefined;
  if (target?.name && list && ctx.snapshot.list(list).length && !ctx.snapshot.get(target.kind!, hpa.metadata.namespace ?? '', target.name)) {
    out.push(
      makeProblem(ctx, 'HorizontalPodAutoscaler', hpa, {
        reason: 'HPATargetMissing',
        message: `scale target ${target.kind}/${target.name} does not exist`,
        severity: 'warning',
        evidence,
      }),
    );
  }
  // Utilization targets are a share of requests: a target whose containers request nothing cannot be scaled on it.
  const targetObj = target?.kind && target.name ? ctx.snapshot.get(target.kind, hpa.metadata.namespace ?? '', target.name) : undefined;
  const containers = (targetObj?.spec?.template?.spec?.containers ?? []) as Array<{ name: string; resources?: { requests?: Record<string, string> } }>;
  for (const resource of utilizationResources(hpa)) {
    const missing = containers.filter((c) => !c.resources?.requests?.[resource]).map((c) => c.name);
    if (containers.length && missing.length === containers.length) {
      out.push(
        makeProblem(ctx, 'HorizontalPodAutoscaler', hpa, {
          reason: 'HPATargetNoRequests',
          message: `${target!.kind} ${hpa.metadata.namespace ?? ''}/${target!.name} does not request ${resource}; the autoscaler cannot compute ${resource} utilization`,
          severity: 'warning',
          evidence,
        }),
      );
    }
  }
  out.push(...warningEventProblems(ctx, 'HorizontalPodAutoscaler', hpa, covered, () => 'warning'));
  // The autoscaler acts on its target: that is the workload its problems are about.
  const workload = target?.kind && target.name ? `${target.kind}/${hpa.metadata.namespace ?? ''}/${target.name}` : undefined;
  return workload ? out.map((p) => ({ ...p, workload })) : out;
}

/** Resources the autoscaler scales on as a utilization (percentage of requests). */
function utilizationResources(hpa: KubeObject): string[] {
  const specs = Array.isArray(hpa.spec?.metrics) ? (hpa.spec.metrics as Array<{ type?: string; resource?: { name?: string; target?: { type?: string } } }>) : [];
  const out = specs.filter((m) => m.type === 'Resource' && m.resource?.target?.type === 'Utilization' && m.resource.name).map((m) => m.resource!.name!);
  if (!specs.length && hpa.spec?.targetCPUUtilizationPercentage !== undefined) out.push('cpu');
  return [...new Set(out)];
}

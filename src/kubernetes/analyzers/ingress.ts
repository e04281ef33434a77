/**
 * Ingress analyzer: what k8sgpt's Ingress analyzer finds (no ingress class, a backend Service that does not
 * exist, a TLS secret that does not exist) plus a class no workload of the cluster serves, a backend port the
 * Service does not expose, an ingress controller with no ready replica, the Warning events of cert-manager's
 * Certificate for a TLS secret, and every other Warning event about the Ingress (the AWS Load Balancer
 * Controller's FailedBuildModel / FailedDeployModel...). Secrets are not readable with view access, so a missing
 * TLS secret is known from the events that say so.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { isWarning } from '../events.ts';
import { LEGACY_CLASS_ANNOTATION, backendText, certificateNamesFor, findIngressControllers, ingressClassOf, ingressPaths, ingressTls, resolveBackend, workloadReadiness } from '../ingress.ts';
import { eventEvidence, makeProblem, recentEvents, sumCounts, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

const MISSING = /not found|does not exist|doesn't exist|missing|no such|couldn't find|could not find/i;

export function analyzeIngress(ctx: AnalyzerContext, ing: KubeObject): Problem[] {
  const out: Problem[] = [];
  const namespace = ing.metadata.namespace ?? '';
  const label = `Ingress ${namespace}/${ing.metadata.name}`;
  const covered = new Set<string>();
  const workloadsRecorded = ctx.snapshot.list('deployments').length + ctx.snapshot.list('daemonsets').length > 0;

  // The class, and the controller serving it.
  const cls = ingressClassOf(ing);
  const match = findIngressControllers(ctx.snapshot, cls.name);
  const candidateLines = match.candidates.slice(0, 3).map((c) => `candidate controller ${c.workload}: ${c.evidence.join('; ')}`);
  if (!cls.name) {
    if (!match.candidates.some((c) => c.traits.watchWithoutClass)) {
      out.push(
        makeProblem(ctx, 'Ingress', ing, {
          reason: 'IngressClassMissing',
          message: `${label} does not specify an Ingress class (spec.ingressClassName or the ${LEGACY_CLASS_ANNOTATION} annotation); only a default IngressClass or a controller watching Ingresses without a class serves it.`,
          // With a controller in the cluster, a default IngressClass (not readable here) may well pick it up.
          severity: match.candidates.length ? 'info' : 'warning',
          evidence: candidateLines,
        }),
      );
    }
  } else if (workloadsRecorded && !match.candidates.length) {
    out.push(
      makeProblem(ctx, 'Ingress', ing, {
        reason: 'IngressControllerNotFound',
        message: `${label} uses the ingress class ${cls.name}, which no ingress controller in the cluster serves: no Deployment or DaemonSet runs with --ingress-class=${cls.name}, a controller class ending in ${cls.name}, or is a controller whose default class it is.`,
        severity: 'warning',
        evidence: [`class from ${cls.source === 'spec' ? 'spec.ingressClassName' : 'the kubernetes.io/ingress.class annotation'}`, `${match.examined} Deployments and DaemonSets examined`],
      }),
    );
  } else if (match.controller) {
    const c = match.controller;
    const { ready, desired } = workloadReadiness(c.kind, c.obj);
    if (desired > 0 && ready === 0) {
      const problem = makeProblem(ctx, 'Ingress', ing, {
        reason: 'IngressControllerUnavailable',
        message: `${label} is served by ${c.workload} (class ${cls.name}), which has no ready replica (0 of ${desired}).`,
        severity: 'critical',
        evidence: c.evidence,
      });
      // The controller is what is down: its problem.
      out.push({ ...problem, workload: c.workload });
    }
  }

  // Backends.
  const servicesRecorded = ctx.snapshot.list('services').length > 0;
  const seen = new Set<string>();
  for (const p of ingressPaths(ing)) {
    const key = backendText(p.backend);
    if (!p.backend.service || seen.has(key)) continue;
    seen.add(key);
    const where = p.isDefault ? 'default backend' : `${p.host ?? '*'}${p.path}`;
    const b = resolveBackend(ctx.snapshot, namespace, p.backend);
    if (servicesRecorded && b.serviceExists === false) {
      out.push(
        makeProblem(ctx, 'Ingress', ing, {
          reason: 'IngressBackendServiceMissing',
          message: `Ingress uses the service ${namespace}/${p.backend.service} which does not exist.`,
          severity: 'critical',
          evidence: [`${where} → ${key}`],
        }),
      );
    } else if (b.portMissing) {
      const svc = ctx.snapshot.get('Service', namespace, p.backend.service)!;
      const ports = ((svc.spec?.ports ?? []) as Array<{ name?: string; port?: number }>).map((x) => `${x.name ? `${x.name} ` : ''}${x.port}`);
      out.push(
        makeProblem(ctx, 'Ingress', ing, {
          reason: 'IngressBackendPortMissing',
          message: `Ingress routes ${where} to port ${String(p.backend.port)} of service ${namespace}/${p.backend.service}, which the service does not expose (ports: ${ports.join(', ') || 'none'}).`,
          severity: 'critical',
          evidence: [`${where} → ${key}`],
        }),
      );
    }
  }

  // TLS: secrets are not readable with view access; events say when one is missing or its certificate fails.
  const ingressWarnings = recentEvents(ctx, 'Ingress', ing).filter(isWarning);
  for (const t of ingressTls(ing)) {
    if (!t.secretName) continue;
    const missing = ingressWarnings.filter((e) => e.message.includes(t.secretName!) && MISSING.test(e.message));
    if (missing.length) {
      out.push(
        makeProblem(ctx, 'Ingress', ing, {
          reason: 'IngressTLSSecretMissing',
          message: `Ingress uses the secret ${namespace}/${t.secretName} as a TLS certificate which does not exist: ${missing[0]!.message}`,
          severity: 'critical',
          since: Math.min(...missing.map((e) => e.firstSeen)),
          count: sumCounts(missing),
          evidence: [`TLS hosts ${t.hosts.join(', ') || '(all)'}`, ...missing.slice(0, 3).map(eventEvidence)],
        }),
      );
      for (const e of missing) covered.add(e.reason);
    }
    const certEvents = certificateNamesFor(t.secretName)
      .flatMap((name) => ctx.snapshot.eventsFor(`Certificate/${namespace}/${name}`))
      .filter((e) => isWarning(e) && e.lastSeen >= ctx.since && e.firstSeen <= ctx.now);
    if (certEvents.length) {
      out.push(
        makeProblem(ctx, 'Ingress', ing, {
          reason: 'TLSCertificateNotReady',
          message: `The certificate for TLS secret ${namespace}/${t.secretName} (hosts ${t.hosts.join(', ') || 'all'}) is failing: ${certEvents[0]!.object} ${certEvents[0]!.reason}: ${certEvents[0]!.message}`,
          severity: 'warning',
          since: Math.min(...certEvents.map((e) => e.firstSeen)),
          count: sumCounts(certEvents),
          evidence: certEvents.slice(0, 3).map((e) => `${e.object}: ${eventEvidence(e)}`),
        }),
      );
    }
  }

  out.push(...warningEventProblems(ctx, 'Ingress', ing, covered, () => 'warning'));
  return out;
}

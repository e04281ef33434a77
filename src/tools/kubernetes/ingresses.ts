/** get_ingress_status: what serves a host at the edge, from the Ingress through its Services to the workloads. */
import { analyzeIngress } from '../../kubernetes/analyzers/ingress.ts';
import { rank } from '../../kubernetes/analyzers/index.ts';
import { SEVERITY_RANK } from '../../kubernetes/analyzers/types.ts';
import {
  type BackendRef,
  type ControllerCandidate,
  type IngressPath,
  controllerServices,
  findIngressControllers,
  hostsMatch,
  ingressClassOf,
  ingressHosts,
  ingressPaths,
  ingressTls,
  normalizeHost,
  resolveBackend,
  workloadReadiness,
} from '../../kubernetes/ingress.ts';
import { isoOf, loadBalancerAddresses, refOf, visibleAnnotations } from '../../kubernetes/objects.ts';
import type { ClusterSnapshot } from '../../kubernetes/snapshot.ts';
import type { KubeObject, KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded } from '../common.ts';
import { ToolError } from '../errors.ts';
import type { OperationContext } from '../invoke.ts';
import { DEFAULT_PROBLEM_LOOKBACK_MS } from './problems.ts';
import { OWNER_KINDS, findOne, loadSnapshot, problemView } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

interface IngressArgs {
  namespace?: string;
  name?: string;
  host?: string;
  limit: number;
}

/** What a rule without a host, or the default backend, is matched as. */
const ANY_HOST = '(any host)';

export async function getIngressStatus(args: IngressArgs, ctx: Ctx) {
  const host = args.host !== undefined ? normalizeHost(args.host) : undefined;
  if (args.host !== undefined && !host) throw new ToolError('InvalidArgument', `'${args.host}' is not a host name (e.g. www.example.com or *.example.com)`, 'host');
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['ingresses', 'services', 'endpoints', 'events', ...OWNER_KINDS], args.namespace, { ingressControllers: true });
  let ingresses = snapshot.list('ingresses').filter((i) => i?.metadata?.name && (!args.namespace || i.metadata.namespace === args.namespace));
  if (args.name) ingresses = [findOne(ingresses, 'Ingress', args.name, args.namespace, 'name')];
  let matches = ingresses.map((ing) => ({ ing, matched: host ? ingressHosts(ing).find((h) => hostsMatch(h, host)) : undefined }));
  if (host) {
    const named = matches.filter((m) => m.matched);
    // No Ingress names the host: the ones that take any host (a rule without host, a default backend) get it.
    matches = named.length ? named : matches.filter((m) => ingressPaths(m.ing).some((p) => !p.host)).map((m) => ({ ...m, matched: ANY_HOST }));
  }
  const since = ctx.now - DEFAULT_PROBLEM_LOOKBACK_MS;
  const views = matches.map(({ ing, matched }) => ingressView(snapshot, ing, { since, ...(host ? { host } : {}), ...(matched ? { matched } : {}) }));
  const worst = (v: { problems: Array<{ severity: string }> }) => Math.max(0, ...v.problems.map((p) => SEVERITY_RANK[p.severity as keyof typeof SEVERITY_RANK] ?? 0));
  views.sort((a, b) => worst(b) - worst(a) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const page = bounded(views, args.limit);
  return { ingresses: page.items, total_count: page.total_count, truncated: page.truncated };
}

function backendView(snapshot: ClusterSnapshot, namespace: string, ref: BackendRef) {
  const b = resolveBackend(snapshot, namespace, ref);
  return {
    ...(ref.service ? { service: ref.service } : {}),
    ...(ref.port !== undefined ? { port: String(ref.port) } : {}),
    ...(ref.resource ? { resource: ref.resource } : {}),
    ...(b.serviceExists !== undefined ? { service_exists: b.serviceExists } : {}),
    ...(b.servicePort ? { service_port: b.servicePort } : {}),
    ...(b.portMissing ? { port_missing: true } : {}),
    ...(b.serviceStatus ? { service_status: b.serviceStatus } : {}),
    ready_endpoints: b.ready,
    not_ready_endpoints: b.notReady,
    workloads: b.workloads,
  };
}

function candidateView(snapshot: ClusterSnapshot, c: ControllerCandidate) {
  const { ready, desired } = workloadReadiness(c.kind, c.obj);
  return { workload: c.workload, ready: `${ready}/${desired}`, evidence: c.evidence, services: controllerServices(snapshot, c.obj) };
}

function ingressView(snapshot: ClusterSnapshot, ing: KubeObject, filter: { since: number; host?: string; matched?: string }) {
  const namespace = ing.metadata.namespace ?? '';
  const cls = ingressClassOf(ing);
  const paths = ingressPaths(ing);
  const anyHost = filter.matched === ANY_HOST;
  const keep = (p: IngressPath) => !filter.host || (anyHost ? !p.host : !!p.host && hostsMatch(p.host, filter.host));
  const rules: Array<{ host?: string; paths: Array<Record<string, unknown>> }> = [];
  for (const p of paths.filter((x) => !x.isDefault && keep(x))) {
    let rule = rules.find((r) => r.host === p.host);
    if (!rule) rules.push((rule = { ...(p.host ? { host: p.host } : {}), paths: [] }));
    rule.paths.push({ path: p.path, ...(p.pathType ? { path_type: p.pathType } : {}), backend: backendView(snapshot, namespace, p.backend) });
  }
  const fallback = paths.find((p) => p.isDefault);
  const tls = ingressTls(ing).filter((t) => !filter.host || anyHost || t.hosts.some((h) => hostsMatch(h, filter.host!)));
  const match = findIngressControllers(snapshot, cls.name);
  const problems = analyzeIngress({ snapshot, now: snapshot.now, since: filter.since }, ing).sort(rank);
  return {
    name: ing.metadata.name,
    namespace,
    resource: refOf('Ingress', ing),
    ...(cls.name ? { ingress_class: cls.name } : {}),
    ingress_class_source: cls.source,
    hosts: ingressHosts(ing),
    ...(filter.matched ? { matched_host: filter.matched } : {}),
    tls: tls.map((t) => ({ hosts: t.hosts, ...(t.secretName ? { secret_name: t.secretName } : {}) })),
    rules,
    ...(fallback ? { default_backend: backendView(snapshot, namespace, fallback.backend) } : {}),
    load_balancer: loadBalancerAddresses(ing),
    ...(match.controller ? { controller: candidateView(snapshot, match.controller) } : {}),
    ...(!match.controller && match.candidates.length
      ? { controller_candidates: match.candidates.slice(0, 5).map((c) => ({ ...candidateView(snapshot, c), score: c.score })) }
      : {}),
    annotations: visibleAnnotations(ing),
    ...(isoOf(ing.metadata.creationTimestamp) ? { created_at: isoOf(ing.metadata.creationTimestamp) } : {}),
    problems: problems.map(problemView),
  };
}

/**
 * One object described the way `kubectl describe` reads it: the key spec and status fields of its kind as
 * `field: value` lines, conditions, owner chain, and the events of the object and of the objects it manages.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { currentChanges, deploymentHealth, rolloutHistory } from './deployment.ts';
import type { KubeEvent } from './events.ts';
import { hpaConditions, hpaMetrics } from './analyzers/hpa.ts';
import {
  type BackendRef,
  type ControllerCandidate,
  LEGACY_CLASS_ANNOTATION,
  backendText,
  certificateNamesFor,
  findIngressControllers,
  ingressClassOf,
  ingressHosts,
  ingressPaths,
  ingressTls,
  resolveBackend,
  workloadReadiness,
} from './ingress.ts';
import { asNumber, asString, conditionsOf, imagesOf, isClusterScopedKind, isoOf, loadBalancerAddresses, refOf } from './objects.ts';
import { nodeView } from './node.ts';
import { type ConditionView, conditionView, containerViews, podStatusColumns } from './pod-status.ts';
import { probeText, pullSecretsOf, serviceAccountOf, volumeSourceText } from './pod-spec.ts';
import { endpointAddresses, serviceBackends, servicePorts } from './service-backends.ts';
import type { ClusterSnapshot } from './snapshot.ts';
import { type ClaimView, claimText, claimView, nodeFate, statefulSetClaims, volumePlacement } from './volumes.ts';

export interface Detail {
  field: string;
  value: string;
}

interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ containerPort?: number; name?: string; protocol?: string }>;
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, { name?: string; key?: string; optional?: boolean }> }>;
  envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
}

function kv(values: Record<string, string> | undefined): string {
  return Object.entries(values ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * The lines of a pod spec or pod template: per container image, command, ports, env references, resources and
 * probes; then volumes, node selector, the service account and the image pull secrets.
 */
export function podSpecDetails(
  spec:
    | { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; volumes?: unknown[]; nodeSelector?: Record<string, string>; serviceAccountName?: string; serviceAccount?: string; imagePullSecrets?: Array<{ name?: string }> }
    | undefined,
): Detail[] {
  if (!spec) return [];
  const out: Detail[] = [];
  const containers: Array<[ContainerSpec, boolean]> = [
    ...(spec.initContainers ?? []).map((c): [ContainerSpec, boolean] => [c, true]),
    ...(spec.containers ?? []).map((c): [ContainerSpec, boolean] => [c, false]),
  ];
  for (const [c, init] of containers) {
    const p = `${init ? 'init container' : 'container'} ${c.name}`;
    out.push({ field: `${p} image`, value: c.image ?? '' });
    if (c.command?.length || c.args?.length) out.push({ field: `${p} command`, value: [...(c.command ?? []), ...(c.args ?? [])].join(' ') });
    if (c.ports?.length) out.push({ field: `${p} ports`, value: c.ports.map((x) => `${x.containerPort}/${x.protocol ?? 'TCP'}${x.name ? ` (${x.name})` : ''}`).join(', ') });
    if (c.resources?.requests) out.push({ field: `${p} requests`, value: kv(c.resources.requests) });
    if (c.resources?.limits) out.push({ field: `${p} limits`, value: kv(c.resources.limits) });
    for (const kind of ['liveness', 'readiness', 'startup'] as const) {
      const text = probeText(c[`${kind}Probe`]);
      if (text) out.push({ field: `${p} ${kind} probe`, value: text });
    }
    // References to ConfigMaps and Secrets: what CreateContainerConfigError complains about.
    const refs: string[] = [];
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) refs.push(`all keys of ConfigMap ${e.configMapRef.name}`);
      if (e.secretRef?.name) refs.push(`all keys of Secret ${e.secretRef.name}`);
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sec = e.valueFrom?.secretKeyRef;
      if (cm) refs.push(`${e.name} from ConfigMap ${cm.name ?? '?'} key ${cm.key ?? '?'}${cm.optional ? ' (optional)' : ''}`);
      else if (sec) refs.push(`${e.name} from Secret ${sec.name ?? '?'} key ${sec.key ?? '?'}${sec.optional ? ' (optional)' : ''}`);
    }
    if (refs.length) out.push({ field: `${p} environment references`, value: refs.join('; ') });
    const plain = (c.env ?? []).filter((e) => e.value !== undefined).map((e) => `${e.name}=${e.value}`);
    if (plain.length) out.push({ field: `${p} environment`, value: plain.join(', ').slice(0, 600) });
  }
  const volumes = (Array.isArray(spec.volumes) ? spec.volumes : []) as Array<Record<string, unknown>>;
  const vols = volumes.filter((v) => v && typeof v === 'object').map((v) => `${String(v.name ?? '')}: ${volumeSourceText(v)}`);
  if (vols.length) out.push({ field: 'volumes', value: vols.join('; ') });
  if (spec.nodeSelector) out.push({ field: 'node selector', value: kv(spec.nodeSelector) });
  const sa = serviceAccountOf(spec);
  out.push({ field: 'service account', value: sa.explicit ? sa.name : `${sa.name} (not set: the namespace's default service account)` });
  const secrets = pullSecretsOf(spec);
  out.push({ field: 'image pull secrets', value: secrets.length ? secrets.join(', ') : '<none>' });
  return out;
}

function d(field: string, value: unknown): Detail[] {
  if (value === undefined || value === null || value === '') return [];
  return [{ field, value: Array.isArray(value) ? value.join(', ') : String(value) }];
}

function podDetails(pod: KubeObject): Detail[] {
  const cols = podStatusColumns(pod);
  const out: Detail[] = [
    ...d('status', cols.status),
    ...d('phase', pod.status?.phase),
    ...d('ready', `${cols.readyContainers}/${cols.totalContainers}`),
    ...d('restarts', cols.restarts),
    ...d('node', pod.spec?.nodeName),
    ...d('pod IP', pod.status?.podIP),
    ...d('QoS class', pod.status?.qosClass),
    ...d('start time', isoOf(pod.status?.startTime)),
    ...d('status reason', pod.status?.reason),
    ...d('status message', pod.status?.message),
  ];
  for (const c of containerViews(pod)) {
    const p = `${c.init ? 'init container' : 'container'} ${c.name}`;
    const state = [c.state, c.reason, c.exit_code !== undefined ? `exit code ${c.exit_code}` : '', c.started_at ? `since ${c.started_at}` : ''].filter(Boolean).join(' ');
    out.push({ field: `${p} state`, value: `${state}${c.message ? `: ${c.message}` : ''}` });
    out.push({ field: `${p} ready`, value: `${c.ready}, restarts ${c.restart_count}` });
    if (c.last_termination) {
      const t = c.last_termination;
      out.push({ field: `${p} last state`, value: `terminated ${t.reason ?? ''} exit code ${t.exit_code}${t.started_at ? ` started ${t.started_at}` : ''}${t.finished_at ? ` finished ${t.finished_at}` : ''}${t.message ? `: ${t.message}` : ''}`.replace(/\s+/g, ' ') });
    }
  }
  return [...out, ...podSpecDetails(pod.spec)];
}

function workloadDetails(snapshot: ClusterSnapshot, kind: string, obj: KubeObject): Detail[] {
  const s = obj.status ?? {};
  const spec = obj.spec ?? {};
  switch (kind) {
    case 'Deployment': {
      const h = deploymentHealth(obj);
      const history = rolloutHistory(snapshot, obj);
      const current = history.find((r) => r.current);
      const changed = currentChanges(history);
      const ru = spec.strategy?.rollingUpdate;
      return [
        ...d('health', `${h.state}: ${h.summary}`),
        ...d('replicas', `${h.desired} desired | ${h.updated} updated | ${h.current} total | ${h.available} available | ${h.unavailable} unavailable`),
        ...d('strategy', `${spec.strategy?.type ?? 'RollingUpdate'}${ru ? ` (maxSurge ${ru.maxSurge ?? '25%'}, maxUnavailable ${ru.maxUnavailable ?? '25%'})` : ''}`),
        ...d('selector', kv(spec.selector?.matchLabels)),
        ...d('paused', spec.paused ? 'true' : undefined),
        ...d('progress deadline', `${asNumber(spec.progressDeadlineSeconds, 600)}s`),
        ...(current ? d('current revision', `${current.revision} (${current.replicaset}, rolled out ${current.rolled_out_at ?? 'unknown'})`) : []),
        ...(changed ? d(`changes in revision ${changed.revision} (from revision ${changed.previous})`, changed.changes.join('; ')) : []),
        ...history.filter((r) => !r.current).slice(0, 3).map((r) => ({ field: `revision ${r.revision}`, value: `${r.replicaset}: ${r.images.join(', ')}, ${r.replicas} replicas, created ${r.created_at ?? 'unknown'}${r.restart ? ' (a restart)' : ''}` })),
        ...podSpecDetails(spec.template?.spec),
      ];
    }
    case 'ReplicaSet':
      return [
        ...d('replicas', `${asNumber(s.replicas)} current / ${asNumber(spec.replicas, 1)} desired, ${asNumber(s.readyReplicas)} ready, ${asNumber(s.availableReplicas)} available`),
        ...d('revision', obj.metadata.annotations?.['deployment.kubernetes.io/revision']),
        ...d('selector', kv(spec.selector?.matchLabels)),
        ...podSpecDetails(spec.template?.spec),
      ];
    case 'StatefulSet':
      return [
        ...d('replicas', `${asNumber(spec.replicas, 1)} desired | ${asNumber(s.replicas)} total | ${asNumber(s.readyReplicas)} ready | ${asNumber(s.updatedReplicas)} updated`),
        ...d('revisions', s.currentRevision ? `current ${s.currentRevision}, update ${s.updateRevision ?? s.currentRevision}` : undefined),
        ...d('service name', spec.serviceName),
        ...d('update strategy', spec.updateStrategy?.type),
        ...d('volume claim templates', (spec.volumeClaimTemplates ?? []).map((t: KubeObject) => `${t.metadata?.name} ${t.spec?.resources?.requests?.storage ?? ''} ${t.spec?.storageClassName ?? ''} ${(t.spec?.accessModes ?? []).join(',')}`.replace(/\s+/g, ' ').trim())),
        ...statefulSetClaims(snapshot, obj).map((c) => ({ field: `replica ${c.replica} volume ${c.template}`, value: claimText(snapshot, c) })),
        ...podSpecDetails(spec.template?.spec),
      ];
    case 'DaemonSet':
      return [
        ...d('pods', `${asNumber(s.desiredNumberScheduled)} desired | ${asNumber(s.currentNumberScheduled)} current | ${asNumber(s.numberReady)} ready | ${asNumber(s.numberAvailable)} available | ${asNumber(s.numberMisscheduled)} misscheduled`),
        ...d('update strategy', spec.updateStrategy?.type),
        ...podSpecDetails(spec.template?.spec),
      ];
    case 'Job':
      return [
        ...d('completions', `${asNumber(s.succeeded)}/${asNumber(spec.completions, 1)}, parallelism ${asNumber(spec.parallelism, 1)}`),
        ...d('pods', `${asNumber(s.active)} active / ${asNumber(s.succeeded)} succeeded / ${asNumber(s.failed)} failed`),
        ...d('backoff limit', asNumber(spec.backoffLimit, 6)),
        ...d('start time', isoOf(s.startTime)),
        ...d('completion time', isoOf(s.completionTime)),
        ...podSpecDetails(spec.template?.spec),
      ];
    default:
      return [];
  }
}

function otherDetails(snapshot: ClusterSnapshot, kind: string, obj: KubeObject): Detail[] {
  const s = obj.status ?? {};
  const spec = obj.spec ?? {};
  switch (kind) {
    case 'Node': {
      const v = nodeView(obj, snapshot.list('pods'));
      return [
        ...d('status', v.status),
        ...d('roles', v.roles.length ? v.roles : undefined),
        ...d('taints', v.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)),
        ...d('unschedulable', String(v.unschedulable)),
        ...d('capacity', `cpu ${v.capacity.cpu}, memory ${v.capacity.memory}, pods ${v.capacity.pods}`),
        ...d('allocatable', `cpu ${v.allocatable.cpu}, memory ${v.allocatable.memory}, pods ${v.allocatable.pods}`),
        ...d(
          'allocated',
          `cpu requests ${v.allocated.cpu_requests} (${v.allocated.cpu_requests_percent}%), limits ${v.allocated.cpu_limits} (${v.allocated.cpu_limits_percent}%); memory requests ${v.allocated.memory_requests} (${v.allocated.memory_requests_percent}%), limits ${v.allocated.memory_limits} (${v.allocated.memory_limits_percent}%); pods ${v.allocated.pods}`,
        ),
        ...d('kubelet version', v.kubelet_version),
        ...d('instance type', v.instance_type),
        ...d('zone', v.zone),
        ...d('internal IP', v.internal_ip),
        ...d('last heartbeat', v.last_heartbeat),
      ];
    }
    case 'Service': {
      const b = serviceBackends(snapshot, obj);
      const { ready, notReady } = endpointAddresses(snapshot.get('Endpoints', obj.metadata.namespace ?? '', obj.metadata.name));
      return [
        ...d('type', b.type),
        ...d('status', b.status),
        ...d('external name', b.externalName),
        ...d('cluster IP', spec.clusterIP),
        ...d('selector', kv(spec.selector)),
        ...d('ports', servicePorts(obj)),
        ...(b.hasEndpointsObject
          ? [
              { field: b.hasSelector ? 'endpoints' : 'endpoints (managed manually, no selector)', value: ready.join(', ') || '<none>' },
              ...d('not ready endpoints', notReady),
            ]
          : []),
        ...d('backing workloads', b.workloads),
        ...d('load balancer', loadBalancerAddresses(obj)),
      ];
    }
    case 'Ingress': {
      const namespace = obj.metadata.namespace ?? '';
      const cls = ingressClassOf(obj);
      const match = findIngressControllers(snapshot, cls.name);
      const backendLine = (ref: BackendRef): string => {
        const b = resolveBackend(snapshot, namespace, ref);
        if (!ref.service) return backendText(ref);
        if (b.serviceExists === false) return `${backendText(ref)} (service does not exist)`;
        if (b.serviceExists === undefined) return backendText(ref);
        const state = b.portMissing ? 'port not exposed by the service' : `${b.serviceStatus}, ${b.ready} ready / ${b.notReady} not ready endpoints`;
        return `${backendText(ref)} (${state}${b.workloads.length ? `; ${b.workloads.join(', ')}` : ''})`;
      };
      const controllerLine = (c: ControllerCandidate) => {
        const { ready, desired } = workloadReadiness(c.kind, c.obj);
        return `${c.workload} (${ready}/${desired} ready; ${c.evidence.join('; ')})`;
      };
      return [
        { field: 'ingress class', value: cls.name ? `${cls.name} (${cls.source === 'spec' ? 'spec.ingressClassName' : `annotation ${LEGACY_CLASS_ANNOTATION}`})` : '<none>' },
        ...d('hosts', ingressHosts(obj)),
        ...ingressTls(obj).map((t) => ({ field: `tls ${t.hosts.join(', ') || '(all hosts)'}`, value: t.secretName ? `secret ${t.secretName}` : "the controller's default certificate" })),
        ...ingressPaths(obj).map((p) => ({
          field: p.isDefault ? 'default backend' : `rule ${p.host ?? '*'}${p.path}`,
          value: `${p.isDefault ? '' : `${p.pathType ?? 'ImplementationSpecific'} → `}${backendLine(p.backend)}`,
        })),
        ...d('load balancer', loadBalancerAddresses(obj)),
        ...(match.controller
          ? [{ field: 'controller', value: controllerLine(match.controller) }]
          : match.candidates.length
            ? [{ field: 'controller candidates', value: match.candidates.slice(0, 3).map(controllerLine).join(' | ') }]
            : [{ field: 'controller', value: `none found for class ${cls.name ?? '(none)'} among ${match.examined} Deployments and DaemonSets` }]),
      ];
    }
    case 'Endpoints': {
      const subsets = (obj.subsets ?? []) as Array<{ addresses?: Array<{ ip?: string; targetRef?: { name?: string } }>; notReadyAddresses?: Array<{ ip?: string; targetRef?: { name?: string } }> }>;
      const addr = (a: { ip?: string; targetRef?: { name?: string } }) => `${a.ip ?? '?'}${a.targetRef?.name ? ` (${a.targetRef.name})` : ''}`;
      return [
        { field: 'addresses', value: subsets.flatMap((x) => (x.addresses ?? []).map(addr)).join(', ') || '<none>' },
        ...d('not ready addresses', subsets.flatMap((x) => (x.notReadyAddresses ?? []).map(addr))),
      ];
    }
    case 'PersistentVolumeClaim': {
      const c = claimView(snapshot, obj.metadata.namespace ?? '', obj.metadata.name);
      return [
        ...d('phase', s.phase),
        ...d('storage class', spec.storageClassName),
        ...d('volume', spec.volumeName),
        ...d('requested', spec.resources?.requests?.storage),
        ...d('capacity', s.capacity?.storage),
        ...d('access modes', spec.accessModes),
        ...d('zone', c.zones?.length ? `${c.zones.join(', ')}${c.placement_source ? ` (${c.placement_source})` : ''}` : undefined),
        ...d('node affinity', c.nodes?.length ? c.nodes : undefined),
        ...d('provisioned for node', c.selected_node ? nodeFate(snapshot, c.selected_node).text.replace(/^node /, '') : undefined),
        ...d('used by', c.pod ? `pod ${c.pod} (${c.pod_phase}${c.pod_node ? ` on ${c.pod_node}` : ', not scheduled'})` : undefined),
      ];
    }
    case 'PersistentVolume': {
      const placement = volumePlacement(obj);
      const claim = spec.claimRef as { namespace?: string; name?: string } | undefined;
      return [
        ...d('phase', s.phase),
        ...d('claim', claim?.name ? `${claim.namespace ?? ''}/${claim.name}` : undefined),
        ...d('storage class', spec.storageClassName),
        ...d('capacity', spec.capacity?.storage),
        ...d('access modes', spec.accessModes),
        ...d('reclaim policy', spec.persistentVolumeReclaimPolicy),
        ...d('source', spec.csi ? `csi ${spec.csi.driver ?? '?'} ${spec.csi.volumeHandle ?? ''}`.trim() : spec.awsElasticBlockStore ? `awsElasticBlockStore ${spec.awsElasticBlockStore.volumeID ?? ''}`.trim() : spec.local ? `local ${spec.local.path ?? ''}`.trim() : undefined),
        ...d('zone', placement.zones.length ? `${placement.zones.join(', ')}${placement.source ? ` (${placement.source})` : ''}` : undefined),
        ...d('node affinity', [...placement.nodes, ...placement.other]),
      ];
    }
    case 'HorizontalPodAutoscaler':
      return [
        ...d('scale target', spec.scaleTargetRef ? `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}` : undefined),
        ...d('replicas', `current ${asNumber(s.currentReplicas)}, desired ${asNumber(s.desiredReplicas)}, min ${asNumber(spec.minReplicas, 1)}, max ${asNumber(spec.maxReplicas)}`),
        ...d('metrics', hpaMetrics(obj).map((m) => m.text)),
        ...d('last scale time', isoOf(s.lastScaleTime)),
      ];
    default:
      return [];
  }
}

/** Objects whose events belong with this one's: what it manages (ReplicaSets, pods) or stands for (Endpoints). */
function relatedRefs(snapshot: ClusterSnapshot, kind: string, obj: KubeObject): string[] {
  const ref = refOf(kind, obj);
  switch (kind) {
    case 'Deployment':
      return [...snapshot.replicaSetsOf(obj).map((rs) => refOf('ReplicaSet', rs)), ...snapshot.podsOf(ref).map((p) => refOf('Pod', p))];
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return snapshot.podsOf(ref).map((p) => refOf('Pod', p));
    case 'Service':
      return [`Endpoints/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`];
    case 'Ingress':
      // cert-manager's Certificate for each TLS secret: its events say why a certificate is not issued.
      return ingressTls(obj).flatMap((t) => (t.secretName ? certificateNamesFor(t.secretName).map((n) => `Certificate/${obj.metadata.namespace ?? ''}/${n}`) : []));
    case 'Pod': {
      // Events recorded against the pod by name survive its replacement only through its owners.
      return [];
    }
    case 'PersistentVolumeClaim': {
      const c = claimView(snapshot, obj.metadata.namespace ?? '', obj.metadata.name);
      return c.volume ? [`PersistentVolume//${c.volume}`] : [];
    }
    default:
      return [];
  }
}

export interface Description {
  resource: string;
  kind: string;
  namespace: string;
  name: string;
  created_at?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  owner_chain: string[];
  workload: string;
  /** The DNS name an ExternalName Service stands for. */
  external_name?: string;
  details: Detail[];
  conditions: ConditionView[];
  images: string[];
  /** The service account of a pod or pod template (`default` when the template sets none). */
  service_account?: string;
  /** The image pull secrets of a pod or pod template, by name. */
  image_pull_secrets?: string[];
  /** A Deployment's current revision: what it changed compared with the previous one. */
  rollout_changes?: { revision: number; previous_revision: number; restart: boolean; changes: string[] };
  /** The PersistentVolumeClaims of a StatefulSet's replicas, or those a pod mounts. */
  volume_claims?: ClaimView[];
  events: KubeEvent[];
}

export function describeObject(snapshot: ClusterSnapshot, kind: string, obj: KubeObject): Description {
  const ref = refOf(kind, obj);
  const chain = snapshot.ownerChain(kind, obj);
  const conditions = kind === 'HorizontalPodAutoscaler' ? hpaConditions(obj) : conditionsOf(obj);
  const events = [ref, ...relatedRefs(snapshot, kind, obj)].flatMap((r) => [...snapshot.eventsFor(r)]).sort((a, b) => b.lastSeen - a.lastSeen);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (k === 'kubectl.kubernetes.io/last-applied-configuration') continue;
    annotations[k] = String(v).length > 300 ? `${String(v).slice(0, 300)}…` : String(v);
  }
  const podSpec = kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const hasPodSpec = kind === 'Pod' || ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(kind);
  const changed = kind === 'Deployment' ? currentChanges(rolloutHistory(snapshot, obj)) : undefined;
  const claims =
    kind === 'StatefulSet'
      ? statefulSetClaims(snapshot, obj)
      : kind === 'Pod'
        ? (Array.isArray(obj.spec?.volumes) ? (obj.spec.volumes as Array<{ persistentVolumeClaim?: { claimName?: string } }>) : [])
            .map((v) => asString(v?.persistentVolumeClaim?.claimName))
            .filter((n): n is string => !!n)
            .map((n) => claimView(snapshot, obj.metadata.namespace ?? '', n))
        : [];
  return {
    resource: ref,
    kind,
    namespace: isClusterScopedKind(kind) ? '' : (obj.metadata.namespace ?? ''),
    name: obj.metadata.name,
    ...(isoOf(obj.metadata.creationTimestamp) ? { created_at: isoOf(obj.metadata.creationTimestamp) } : {}),
    labels: { ...(obj.metadata.labels ?? {}) },
    annotations,
    owner_chain: chain,
    workload: snapshot.workloadOf(kind, obj),
    ...(kind === 'Service' && obj.spec?.type === 'ExternalName' && asString(obj.spec?.externalName) ? { external_name: obj.spec.externalName as string } : {}),
    details: kind === 'Pod' ? podDetails(obj) : [...workloadDetails(snapshot, kind, obj), ...otherDetails(snapshot, kind, obj)],
    conditions: conditions.map(conditionView),
    images: imagesOf(podSpec),
    ...(hasPodSpec && podSpec ? { service_account: serviceAccountOf(podSpec).name, image_pull_secrets: pullSecretsOf(podSpec) } : {}),
    ...(changed ? { rollout_changes: { revision: changed.revision, previous_revision: changed.previous, restart: changed.restart, changes: changed.changes } } : {}),
    ...(claims.length ? { volume_claims: claims } : {}),
    events,
  };
}


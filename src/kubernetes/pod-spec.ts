/**
 * Reading pod specs and pod templates the way `kubectl describe` prints them: the service account, image pull
 * secrets, the registry an image comes from, probes and volumes as one-line texts. Shared by describe, the
 * template diff of rollouts and the analyzers' evidence.
 */
import { asNumber, asString } from './objects.ts';

/** The parts of a pod spec these helpers read; everything else passes through untyped. */
export interface PodSpecLike {
  containers?: unknown[];
  initContainers?: unknown[];
  volumes?: unknown[];
  serviceAccountName?: string;
  serviceAccount?: string;
  imagePullSecrets?: Array<{ name?: string }>;
  nodeSelector?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The service account a pod runs as: `serviceAccountName`, else the deprecated `serviceAccount`; a pod template
 * without either runs as `default`, which `explicit: false` says.
 */
export function serviceAccountOf(spec: { serviceAccountName?: unknown; serviceAccount?: unknown } | null | undefined): { name: string; explicit: boolean } {
  const name = asString(spec?.serviceAccountName) ?? asString(spec?.serviceAccount);
  return name ? { name, explicit: true } : { name: 'default', explicit: false };
}

/** The names in `imagePullSecrets`, in order. */
export function pullSecretsOf(spec: { imagePullSecrets?: unknown } | null | undefined): string[] {
  const list = spec?.imagePullSecrets;
  return Array.isArray(list) ? (list as Array<{ name?: unknown } | null>).map((s) => asString(s?.name)).filter((n): n is string => !!n) : [];
}

/**
 * The registry host of an image reference, as the container runtime resolves it: the first path component when
 * it names a host (has a dot or a port, or is `localhost`), else Docker Hub (`docker.io`).
 */
export function registryHost(image: string): string {
  const ref = image.trim().split('@')[0]!;
  const slash = ref.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

/** What a registry host is, when it is one whose credentials come from somewhere other than a pull secret. */
export function registryNote(host: string): string | undefined {
  const ecr = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (ecr) return `Amazon ECR, account ${ecr[1]}, region ${ecr[2]}: pulled with the node role's credentials unless a pull secret is given`;
  if (host === 'public.ecr.aws') return 'Amazon ECR Public';
  if (host === 'docker.io') return 'Docker Hub';
  return undefined;
}

/** One probe as `kubectl describe` prints it: handler, then delay, timeout, period and thresholds. */
export function probeText(probe: Record<string, unknown> | undefined): string | undefined {
  if (!probe) return undefined;
  const http = probe.httpGet as { path?: string; port?: unknown; scheme?: string; host?: string } | undefined;
  const tcp = probe.tcpSocket as { port?: unknown } | undefined;
  const exec = probe.exec as { command?: string[] } | undefined;
  const grpc = probe.grpc as { port?: unknown; service?: string } | undefined;
  const handler = http
    ? `http-get ${(http.scheme ?? 'HTTP').toLowerCase()}://${http.host ?? ''}:${String(http.port ?? '')}${http.path ?? '/'}`
    : tcp
      ? `tcp-socket :${String(tcp.port ?? '')}`
      : grpc
        ? `grpc :${String(grpc.port ?? '')}${grpc.service ? ` service ${grpc.service}` : ''}`
        : exec
          ? `exec ${JSON.stringify(exec.command ?? [])}`
          : 'unknown';
  return `${handler} delay=${asNumber(probe.initialDelaySeconds)}s timeout=${asNumber(probe.timeoutSeconds, 1)}s period=${asNumber(probe.periodSeconds, 10)}s #success=${asNumber(probe.successThreshold, 1)} #failure=${asNumber(probe.failureThreshold, 3)}`;
}

/** A volume's source in one phrase: `ConfigMap app-config`, `PersistentVolumeClaim data-db-0`, `emptyDir`... */
export function volumeSourceText(volume: Record<string, unknown>): string {
  const cm = volume.configMap as { name?: string; optional?: boolean } | undefined;
  const secret = volume.secret as { secretName?: string; optional?: boolean } | undefined;
  const claim = volume.persistentVolumeClaim as { claimName?: string; readOnly?: boolean } | undefined;
  const projected = volume.projected as { sources?: Array<Record<string, { name?: string } | undefined>> } | undefined;
  if (cm) return `ConfigMap ${cm.name ?? '?'}${cm.optional ? ' (optional)' : ''}`;
  if (secret) return `Secret ${secret.secretName ?? '?'}${secret.optional ? ' (optional)' : ''}`;
  if (claim) return `PersistentVolumeClaim ${claim.claimName ?? '?'}${claim.readOnly ? ' (read-only)' : ''}`;
  if (volume.emptyDir !== undefined) {
    const e = volume.emptyDir as { medium?: string; sizeLimit?: string } | null;
    const opts = [e?.medium ? `medium ${e.medium}` : '', e?.sizeLimit ? `sizeLimit ${e.sizeLimit}` : ''].filter(Boolean).join(', ');
    return `emptyDir${opts ? ` (${opts})` : ''}`;
  }
  if (projected) {
    const parts = (projected.sources ?? []).map((s) => {
      const [kind, value] = Object.entries(s)[0] ?? ['?', undefined];
      return value?.name ? `${kind} ${value.name}` : kind;
    });
    return `projected (${parts.join(', ')})`;
  }
  const hostPath = volume.hostPath as { path?: string } | undefined;
  if (hostPath) return `hostPath ${hostPath.path ?? '?'}`;
  const csi = volume.csi as { driver?: string } | undefined;
  if (csi) return `csi ${csi.driver ?? '?'}`;
  const other = Object.keys(volume).filter((k) => k !== 'name');
  return other.join(',') || 'volume';
}

/** The claim names of a pod spec's PersistentVolumeClaim volumes, with the volume name each is mounted as. */
export function claimVolumes(spec: PodSpecLike | undefined): Array<{ volume: string; claim: string }> {
  const volumes = Array.isArray(spec?.volumes) ? (spec.volumes as Array<{ name?: string; persistentVolumeClaim?: { claimName?: string } }>) : [];
  return volumes
    .filter((v) => asString(v?.persistentVolumeClaim?.claimName))
    .map((v) => ({ volume: v.name ?? '', claim: v.persistentVolumeClaim!.claimName! }));
}

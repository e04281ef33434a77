/**
 * A loopback Kubernetes API server over HTTPS for provider tests. It serves a recorded scenario the way a real
 * API server serves a cluster: collection GETs under the right API group and version, namespaced or
 * cluster-wide, paginated with `limit` / `continue` (items without kind/apiVersion, as in real List responses),
 * the `log` subresource with `tailLines` / `previous` / `timestamps`, Status bodies for errors, gzip for large
 * answers. Every request must carry an EKS bearer token whose presigned STS URL verifies (SigV4, with the
 * cluster-name header signed) against the test credentials; anything else is 401, as aws-iam-authenticator does.
 * Faults can be injected per path to test throttling, denials, outages, hangs and expired continue tokens.
 */
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeEksToken } from '../../../src/providers/kubernetes/eks-token.ts';
import { type TestCredentials, verifyPresignedUrl } from './sigv4.ts';
import type { TlsMaterial } from './tls.ts';

/** The fake's own routing table (deliberately not the provider's), from the Kubernetes API reference. */
const RESOURCES: Record<string, { prefix: string; kind: string; file: string; namespaced: boolean }> = {
  pods: { prefix: '/api/v1', kind: 'Pod', file: 'pods.json', namespaced: true },
  events: { prefix: '/api/v1', kind: 'Event', file: 'events.json', namespaced: true },
  nodes: { prefix: '/api/v1', kind: 'Node', file: 'nodes.json', namespaced: false },
  services: { prefix: '/api/v1', kind: 'Service', file: 'services.json', namespaced: true },
  endpoints: { prefix: '/api/v1', kind: 'Endpoints', file: 'endpoints.json', namespaced: true },
  persistentvolumeclaims: { prefix: '/api/v1', kind: 'PersistentVolumeClaim', file: 'pvcs.json', namespaced: true },
  deployments: { prefix: '/apis/apps/v1', kind: 'Deployment', file: 'deployments.json', namespaced: true },
  replicasets: { prefix: '/apis/apps/v1', kind: 'ReplicaSet', file: 'replicasets.json', namespaced: true },
  statefulsets: { prefix: '/apis/apps/v1', kind: 'StatefulSet', file: 'statefulsets.json', namespaced: true },
  daemonsets: { prefix: '/apis/apps/v1', kind: 'DaemonSet', file: 'daemonsets.json', namespaced: true },
  jobs: { prefix: '/apis/batch/v1', kind: 'Job', file: 'jobs.json', namespaced: true },
  horizontalpodautoscalers: { prefix: '/apis/autoscaling/v2', kind: 'HorizontalPodAutoscaler', file: 'hpa.json', namespaced: true },
  ingresses: { prefix: '/apis/networking.k8s.io/v1', kind: 'Ingress', file: 'ingresses.json', namespaced: true },
};

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
}

/** A fault: answers matching requests instead of the scenario, `times` times (forever when absent). */
export interface Fault {
  match: RegExp;
  times?: number;
  status?: number;
  reason?: string;
  message?: string;
  headers?: Record<string, string>;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

export interface KubeApiFake {
  url: string;
  requests: RecordedRequest[];
  faults: Fault[];
  /** Tokens the server saw, in order. */
  tokens: string[];
  /** The `continue` tokens the server handed out. */
  issuedContinues: string[];
  close(): Promise<void>;
}

export interface KubeApiFakeOptions {
  scenarioDir: string;
  tls: TlsMaterial;
  clusterName: string;
  credentials: TestCredentials;
  /** Region the tokens must be presigned for. */
  region: string;
}

function status(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

function readItems(file: string): Json[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const items = Array.isArray(data) ? data : ((data as { items?: unknown[] }).items ?? []);
    return items as Json[];
  } catch {
    return [];
  }
}

function send(req: IncomingMessage, res: ServerResponse, code: number, contentType: string, body: string): void {
  const raw = Buffer.from(body, 'utf8');
  // The API server compresses large answers when the client accepts gzip.
  if (raw.length > 2048 && /gzip/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.writeHead(code, { 'content-type': contentType, 'content-encoding': 'gzip' });
    res.end(gzipSync(raw));
    return;
  }
  res.writeHead(code, { 'content-type': contentType });
  res.end(raw);
}

export async function startKubeApiFake(options: KubeApiFakeOptions): Promise<KubeApiFake> {
  const root = join(options.scenarioDir, 'kubernetes');
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const tokens: string[] = [];
  const issuedContinues: string[] = [];
  const stsHost = `sts.${options.region}.amazonaws.com`;

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (k8s-aws-v1\.[A-Za-z0-9_-]+)$/.exec(header);
    if (!m) return false;
    tokens.push(m[1]!);
    const url = decodeEksToken(m[1]!);
    if (!url || url.host !== stsHost || url.pathname !== '/') return false;
    if (url.searchParams.get('Action') !== 'GetCallerIdentity' || url.searchParams.get('Version') !== '2011-06-15') return false;
    if (url.searchParams.get('X-Amz-Expires') !== '60') return false;
    if (!(url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id')) return false;
    return verifyPresignedUrl(url, options.credentials, { 'x-k8s-aws-id': options.clusterName }).ok;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, authorization: req.headers.authorization, acceptEncoding: req.headers['accept-encoding'] as string | undefined });
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'read-only fake');
    if (!authorized(req)) return status(res, 401, 'Unauthorized', 'Unauthorized');

    const fault = faults.find((f) => f.match.test(`${url.pathname}${url.search}`) && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      if (fault.hang) return; // the socket stays open, unanswered
      return status(res, fault.status ?? 500, fault.reason ?? 'InternalError', fault.message ?? 'injected fault', fault.headers);
    }

    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log) return podLog(req, res, decodeURIComponent(log[1]!), decodeURIComponent(log[2]!), url.searchParams);

    const m = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(url.pathname);
    const resource = m ? RESOURCES[m[3]!] : undefined;
    if (!m || !resource || resource.prefix !== m[1] || (m[2] && !resource.namespaced)) {
      return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    }
    const namespace = m[2] ? decodeURIComponent(m[2]) : undefined;
    const all = readItems(join(root, resource.file)).filter((o) => !namespace || (o.metadata as Json | undefined)?.namespace === namespace);
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const token = url.searchParams.get('continue');
    let offset = 0;
    if (token) {
      try {
        offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: number }).offset;
      } catch {
        return status(res, 400, 'BadRequest', 'continue key is not valid');
      }
    }
    const end = limit > 0 ? Math.min(all.length, offset + limit) : all.length;
    // List items carry neither kind nor apiVersion: only the List itself does.
    const items = all.slice(offset, end).map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
    const metadata: Json = { resourceVersion: '4812345' };
    if (end < all.length) {
      const next = Buffer.from(JSON.stringify({ offset: end, rv: 4812345 })).toString('base64url');
      issuedContinues.push(next);
      metadata.continue = next;
      metadata.remainingItemCount = all.length - end;
    }
    const apiVersion = resource.prefix === '/api/v1' ? 'v1' : resource.prefix.replace('/apis/', '');
    send(req, res, 200, 'application/json', JSON.stringify({ kind: `${resource.kind}List`, apiVersion, metadata, items }));
  };

  const podLog = (req: IncomingMessage, res: ServerResponse, namespace: string, pod: string, query: URLSearchParams): void => {
    const found = readItems(join(root, 'pods.json')).find((p) => (p.metadata as Json).name === pod && (p.metadata as Json).namespace === namespace);
    if (!found) return status(res, 404, 'NotFound', `pods "${pod}" not found`);
    const container = query.get('container') ?? '';
    const containers = [...((found.spec as Json).containers as Json[]), ...(((found.spec as Json).initContainers as Json[] | undefined) ?? [])].map((c) => c.name);
    if (!containers.includes(container)) return status(res, 400, 'BadRequest', `container ${container} is not valid for pod ${pod}`);
    const previous = query.get('previous') === 'true';
    let text: string;
    try {
      text = readFileSync(join(root, 'logs', namespace, pod, `${container}${previous ? '.previous' : ''}.log`), 'utf8');
    } catch {
      if (previous) return status(res, 400, 'BadRequest', `previous terminated container "${container}" in pod "${pod}" not found`);
      text = '';
    }
    const tail = query.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      text = lines.slice(Math.max(0, lines.length - Number(tail))).join('\n') + (lines.length ? '\n' : '');
    }
    const limitBytes = query.get('limitBytes');
    if (limitBytes !== null) text = Buffer.from(text).subarray(0, Number(limitBytes)).toString('utf8');
    send(req, res, 200, 'text/plain', text);
  };

  const server: Server = createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    faults,
    tokens,
    issuedContinues,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

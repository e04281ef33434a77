/**
 * The Kubernetes provider over a live API server: read-only GETs over HTTPS, verified against the cluster's CA,
 * authenticated with a bearer token from the connection (EKS: see eks.ts). Lists are paginated with `limit` and
 * `continue` up to a bound on items; pod logs come from the `log` subresource with timestamps. Objects are
 * returned as the API serves them, with `kind`/`apiVersion` filled in on list items the way `kubectl get -o json`
 * prints them (the API omits them inside lists), so fixture and live data reach the analyzers in one shape.
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createGunzip } from 'node:zlib';
import { ToolError } from '../../tools/errors.ts';
import { CallTimeoutError, type ResilienceOptions, RetriesExhausted, resolveResilience, retrying, withTimeout } from '../aws/retry.ts';
import { type KubeKind, type KubeObject, type KubernetesProvider, type ListOptions, OPTIONAL_KINDS, type PodLogRequest } from './port.ts';

export interface KubeConnection {
  /** The API server's base URL, `https://host[:port]`. */
  server: string;
  /** PEM bundle the server certificate must chain to (the cluster CA). */
  ca?: string | Buffer;
  /** A bearer token; called for every request, so it should cache. */
  token(): Promise<string>;
  /** Drops a cached token after the server rejected it (401), so the next call mints a fresh one. */
  invalidateToken?(): void;
  /** How messages name the cluster: `EKS cluster prod`. */
  name: string;
  /** How to grant the caller read access, appended to AccessDenied messages. */
  accessHint?: string;
}

export interface KubeApiOptions {
  /** Items per list page (`limit`). */
  pageSize?: number;
  /** Items per kind at most; a bigger cluster is read partially rather than not at all. */
  maxItems?: number;
  /** One HTTP request's time limit. */
  requestTimeoutMs?: number;
  /** Requests in flight at once per provider: tools list up to fourteen kinds in parallel. */
  maxConcurrency?: number;
  /** `limitBytes` of a log request. */
  logLimitBytes?: number;
  /** Any one response body at most (after decompression). */
  maxResponseBytes?: number;
  resilience?: ResilienceOptions;
}

interface KindResource {
  /** API path prefix: `/api/v1` or `/apis/<group>/<version>`. */
  prefix: string;
  resource: string;
  /** The object kind and apiVersion `kubectl get -o json` writes on each item. */
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

const core = (resource: string, kind: string, namespaced = true): KindResource => ({ prefix: '/api/v1', resource, kind, apiVersion: 'v1', namespaced });
const group = (g: string, version: string, resource: string, kind: string): KindResource => ({
  prefix: `/apis/${g}/${version}`,
  resource,
  kind,
  apiVersion: `${g}/${version}`,
  namespaced: true,
});

/** Where each kind of the port lives in the API. Events are core/v1 (`involvedObject`), as `kubectl get events`. */
export const KIND_RESOURCES: Readonly<Record<KubeKind, KindResource>> = {
  pods: core('pods', 'Pod'),
  deployments: group('apps', 'v1', 'deployments', 'Deployment'),
  replicasets: group('apps', 'v1', 'replicasets', 'ReplicaSet'),
  statefulsets: group('apps', 'v1', 'statefulsets', 'StatefulSet'),
  daemonsets: group('apps', 'v1', 'daemonsets', 'DaemonSet'),
  jobs: group('batch', 'v1', 'jobs', 'Job'),
  events: core('events', 'Event'),
  nodes: core('nodes', 'Node', false),
  services: core('services', 'Service'),
  endpoints: core('endpoints', 'Endpoints'),
  hpa: group('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  pvcs: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  ingresses: group('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
  pvs: core('persistentvolumes', 'PersistentVolume', false),
};

// Names as the API server validates them: namespaces and containers are DNS labels, pods DNS subdomains. A name
// outside these cannot exist, and checking keeps arbitrary text out of request paths.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The collection path of a kind: cluster-wide, or within a namespace for namespaced kinds. */
export function listPath(kind: KubeKind, namespace?: string): string {
  const r = KIND_RESOURCES[kind];
  return r.namespaced && namespace ? `${r.prefix}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${r.prefix}/${r.resource}`;
}

export function podLogPath(request: PodLogRequest, limitBytes: number): string {
  const query = new URLSearchParams({ container: request.container, timestamps: 'true' });
  if (request.previous) query.set('previous', 'true');
  if (request.tailLines !== undefined && request.tailLines >= 0) query.set('tailLines', String(Math.floor(request.tailLines)));
  query.set('limitBytes', String(limitBytes));
  return `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(request.pod)}/log?${query}`;
}

/** The API server answers a log request with 400 and one of these messages when there is simply no such log. */
const NO_LOG_MESSAGES = [
  /previous terminated container .* not found/i,
  /is waiting to start/i,
  /ContainerCreating|PodInitializing/,
  /is not valid for pod/i,
  /container .* not found/i,
  /is terminated/i,
];

/** A non-2xx answer of the API server, with its Status message. */
export class KubeHttpError extends Error {
  override readonly name = 'KubeHttpError';
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly apiMessage: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}${reason ? ` ${reason}` : ''}${apiMessage ? `: ${apiMessage}` : ''}`);
  }
}

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Resolved {
  connection: KubeConnection;
  url: URL;
  agent: Agent;
}

const MIB = 1024 * 1024;

export function createKubeApiProvider(connect: () => Promise<KubeConnection>, options: KubeApiOptions = {}): KubernetesProvider {
  const pageSize = Math.max(1, options.pageSize ?? 500);
  const maxItems = Math.max(1, options.maxItems ?? 5_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const logLimitBytes = options.logLimitBytes ?? 8 * MIB;
  const maxResponseBytes = options.maxResponseBytes ?? 96 * MIB;
  const resilience = resolveResilience(options.resilience);
  const gate = semaphore(Math.max(1, options.maxConcurrency ?? 6));

  let resolving: Promise<Resolved> | undefined;
  const resolved = (): Promise<Resolved> => {
    resolving ??= connect().then((connection) => {
      const url = new URL(connection.server.includes('://') ? connection.server : `https://${connection.server}`);
      if (url.protocol !== 'https:') throw new ToolError('Internal', `The Kubernetes API server of ${connection.name} must be an https:// URL (got ${url.protocol})`);
      // One keep-alive agent per cluster: TLS handshakes dominate short GETs, and the CA is per cluster.
      const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, options.maxConcurrency ?? 6), ...(connection.ca ? { ca: connection.ca } : {}) });
      return { connection, url, agent };
    });
    // A failed DescribeCluster (throttled, denied) must not stay cached: the next tool call tries again.
    resolving.catch(() => (resolving = undefined));
    return resolving;
  };

  /** One GET with a fresh token on 401 (once), within the request timeout. */
  const getOnce = async (r: Resolved, path: string, accept: string): Promise<Response> => {
    for (let refreshed = false; ; refreshed = true) {
      const token = await r.connection.token();
      const response = await gate(() =>
        withTimeout((signal) => send(r, path, token, accept, signal, maxResponseBytes), requestTimeoutMs, `GET ${path}`),
      );
      if (response.status === 401 && !refreshed && r.connection.invalidateToken) {
        r.connection.invalidateToken();
        continue;
      }
      return response;
    }
  };

  /** A GET retried on 429, 5xx and network faults; other statuses are returned to the caller. */
  const get = async (path: string, accept: string, what: string): Promise<Response> => {
    const r = await resolved();
    try {
      return await retrying(
        async () => {
          const response = await getOnce(r, path, accept);
          if (response.status === 429 || response.status >= 500) throw httpError(response);
          return response;
        },
        (error) => {
          if (error instanceof KubeHttpError) return { retry: true, ...(error.retryAfterMs !== undefined ? { delayMs: error.retryAfterMs } : {}) };
          return { retry: isNetworkError(error) };
        },
        resilience,
      );
    } catch (outcome) {
      const error = outcome instanceof RetriesExhausted ? outcome.error : outcome;
      const attempts = outcome instanceof RetriesExhausted ? outcome.attempts : 1;
      throw failure(error, r.connection, r.url, what, attempts, requestTimeoutMs);
    }
  };

  return {
    async list(kind: KubeKind, listOptions?: ListOptions): Promise<KubeObject[]> {
      const resource = KIND_RESOURCES[kind];
      const namespace = resource.namespaced ? listOptions?.namespace : undefined;
      if (namespace !== undefined && !DNS_LABEL.test(namespace)) return [];
      const what = `list ${resource.resource} ${namespace ? `in namespace ${namespace}` : resource.namespaced ? 'in all namespaces' : '(cluster-wide)'}`;
      const base = listPath(kind, namespace);
      let restarted = false;
      const items: KubeObject[] = [];
      let continueToken: string | undefined;
      for (;;) {
        const query = new URLSearchParams({ limit: String(Math.min(pageSize, maxItems - items.length)) });
        if (continueToken) query.set('continue', continueToken);
        const response = await get(`${base}?${query}`, 'application/json', what);
        // Not served (an API group this cluster lacks): no objects of that kind, as the port says.
        if (response.status === 404) return items;
        // An optional kind the caller may not read: no detail rather than no answer.
        if (response.status === 403 && OPTIONAL_KINDS.has(kind)) return items;
        if (response.status === 410 && continueToken && !restarted) {
          // The continue token outlived etcd's compaction window: list again from the start, once.
          restarted = true;
          items.length = 0;
          continueToken = undefined;
          continue;
        }
        if (response.status !== 200) {
          const r = await resolved();
          throw failure(httpError(response), r.connection, r.url, what, 1, requestTimeoutMs);
        }
        const page = parseJson(response.body, what) as { items?: unknown; metadata?: { continue?: unknown } };
        for (const item of Array.isArray(page.items) ? page.items : []) {
          if (!isObject(item) || !isObject(item.metadata) || typeof item.metadata.name !== 'string') continue;
          // Listed items lack kind/apiVersion; kubectl (and so every fixture) writes them, and analyzers may read them.
          items.push({ apiVersion: resource.apiVersion, kind: resource.kind, ...item } as KubeObject);
          if (items.length >= maxItems) return items;
        }
        continueToken = typeof page.metadata?.continue === 'string' && page.metadata.continue ? page.metadata.continue : undefined;
        if (!continueToken) return items;
      }
    },

    async podLogs(request: PodLogRequest): Promise<string | null> {
      if (!DNS_LABEL.test(request.namespace) || !DNS_SUBDOMAIN.test(request.pod) || !DNS_LABEL.test(request.container)) return null;
      const what = `read ${request.previous ? 'previous ' : ''}logs of container ${request.container} in pod ${request.namespace}/${request.pod}`;
      const response = await get(podLogPath(request, logLimitBytes), 'text/plain, */*', what);
      if (response.status === 200) return response.body.toString('utf8');
      if (response.status === 404) return null;
      const error = httpError(response);
      if (response.status === 400) {
        if (NO_LOG_MESSAGES.some((re) => re.test(error.apiMessage))) return null;
        throw new ToolError('NotFound', `The Kubernetes API has no logs to ${what}: ${error.apiMessage || error.message}`);
      }
      const r = await resolved();
      throw failure(error, r.connection, r.url, what, 1, requestTimeoutMs);
    },
  };
}

function send(r: Resolved, path: string, token: string, accept: string, signal: AbortSignal, maxBytes: number): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const basePath = r.url.pathname.replace(/\/+$/, '');
    const req = httpsRequest(
      {
        protocol: 'https:',
        hostname: r.url.hostname,
        port: r.url.port || 443,
        path: `${basePath}${path}`,
        method: 'GET',
        agent: r.agent,
        signal,
        headers: {
          authorization: `Bearer ${token}`,
          accept,
          'accept-encoding': 'gzip',
          'user-agent': 'sre-agent (read-only)',
        },
      },
      (res) => {
        const gzip = /\bgzip\b/i.test(String(res.headers['content-encoding'] ?? ''));
        const stream = gzip ? res.pipe(createGunzip()) : res;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new ResponseTooLarge(maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        stream.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        stream.on('error', reject);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
  constructor(readonly maxBytes: number) {
    super(`the response exceeded ${Math.round(maxBytes / MIB)} MiB`);
  }
}

function httpError(response: Response): KubeHttpError {
  let reason = '';
  let message = '';
  const text = response.body.toString('utf8');
  try {
    const status = JSON.parse(text) as { reason?: unknown; message?: unknown };
    if (typeof status.reason === 'string') reason = status.reason;
    if (typeof status.message === 'string') message = status.message;
  } catch {
    message = text.trim().slice(0, 300);
  }
  return new KubeHttpError(response.status, reason, message, retryAfterMs(response.headers['retry-after']));
}

/** `Retry-After` in seconds (the API server's form) or as an HTTP date; bounded so a bad header cannot stall a tool. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const seconds = Number(v);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(v) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 10_000) : undefined;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ETIMEDOUT']);

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

function isTlsError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/i.test(code);
}

/** The ToolError for a failed request: which verb on which resource, and what to do about it where we know. */
function failure(error: unknown, connection: KubeConnection, url: URL, what: string, attempts: number, timeoutMs: number): ToolError {
  if (error instanceof ToolError) return error;
  const cluster = connection.name;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const hint = connection.accessHint ? `; ${connection.accessHint}` : '';
  if (error instanceof KubeHttpError) {
    const api = error.apiMessage ? `: ${error.apiMessage}` : '';
    if (error.status === 401) {
      return new ToolError('AccessDenied', `The Kubernetes API server of ${cluster} rejected the tool's credentials (HTTP 401) to ${what}${hint}`);
    }
    if (error.status === 403) return new ToolError('AccessDenied', `The Kubernetes API server of ${cluster} denied the tool to ${what} (HTTP 403${api})${hint}`);
    if (error.status === 429) return new ToolError('Throttled', `The Kubernetes API server of ${cluster} throttled the request to ${what}${tries} (HTTP 429${api}); try again shortly`);
    if (error.status >= 500) return new ToolError('Unavailable', `The Kubernetes API server of ${cluster} failed to ${what}${tries} (HTTP ${error.status}${api})`);
    if (error.status === 410) return new ToolError('Unavailable', `The Kubernetes API server of ${cluster} expired the listing twice while trying to ${what} (HTTP 410); try again`);
    return new ToolError('Internal', `The Kubernetes API server of ${cluster} refused to ${what} (HTTP ${error.status}${api})`);
  }
  if (error instanceof CallTimeoutError || (error as { name?: string })?.name === 'AbortError') {
    return new ToolError('Timeout', `The Kubernetes API server of ${cluster} did not answer in ${Math.round(timeoutMs / 1000)} s to ${what}`);
  }
  if (error instanceof ResponseTooLarge) {
    return new ToolError('Unavailable', `The Kubernetes API answer to ${what} exceeded ${Math.round(error.maxBytes / MIB)} MiB; narrow the request to a namespace`);
  }
  const code = (error as { code?: unknown })?.code;
  if (isTlsError(error)) {
    return new ToolError('Unavailable', `TLS verification of the Kubernetes API server ${url.host} of ${cluster} failed against the cluster CA (${String(code)})`);
  }
  if (isNetworkError(error)) {
    return new ToolError(
      'Unavailable',
      `Cannot reach the Kubernetes API server ${url.host} of ${cluster} to ${what}${tries} (${String(code)}); a private endpoint needs the tool Lambda in the cluster's VPC`,
    );
  }
  return new ToolError('Internal', `Reading the Kubernetes API of ${cluster} failed to ${what} (${(error as Error)?.message ?? String(error)})`);
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ToolError('Unavailable', `The Kubernetes API answered ${what} with something that is not JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** At most `n` tasks at once; the rest wait in order. */
function semaphore(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

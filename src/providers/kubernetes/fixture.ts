/**
 * The Kubernetes provider over a recorded scenario: `kubernetes/<kind>.json` files holding what
 * `kubectl get <kind> -A -o json` printed, and `kubernetes/logs/<namespace>/<pod>/<container>[.previous].log`
 * holding `kubectl logs --timestamps`. A missing file is an empty list; parsed files are cached per provider.
 */
import { join, resolve } from 'node:path';
import { readScenarioJson, readScenarioText } from '../fixture/scenario.ts';
import { CLUSTER_SCOPED_KINDS, type KubeKind, type KubeObject, type KubernetesProvider, type ListOptions, type PodLogRequest } from './port.ts';

/** Names the API server accepts for namespaces, pods and containers; anything else cannot name a recorded log. */
const SAFE_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** The items of a recorded file: a v1 List, a bare array, or a single object. */
export function itemsOf(data: unknown): KubeObject[] {
  const items = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items) ? (data as { items: unknown[] }).items : data && typeof data === 'object' && (data as { metadata?: unknown }).metadata ? [data] : [];
  return items.filter(
    (item): item is KubeObject =>
      !!item && typeof item === 'object' && !!(item as KubeObject).metadata && typeof (item as KubeObject).metadata.name === 'string',
  );
}

export function createFixtureKubernetesProvider(scenarioDir: string): KubernetesProvider {
  const root = join(resolve(scenarioDir), 'kubernetes');
  const cache = new Map<KubeKind, Promise<KubeObject[]>>();
  const load = (kind: KubeKind): Promise<KubeObject[]> => {
    let pending = cache.get(kind);
    if (!pending) {
      pending = readScenarioJson<unknown>(join(root, `${kind}.json`)).then(itemsOf);
      // A failed read (unreadable file) is not cached, so a later call can report it again.
      pending.catch(() => cache.delete(kind));
      cache.set(kind, pending);
    }
    return pending;
  };

  return {
    async list(kind: KubeKind, options?: ListOptions): Promise<KubeObject[]> {
      const items = await load(kind);
      const namespace = options?.namespace;
      if (!namespace || CLUSTER_SCOPED_KINDS.has(kind)) return [...items];
      return items.filter((item) => (item.metadata.namespace ?? '') === namespace);
    },

    async podLogs(request: PodLogRequest): Promise<string | null> {
      const { namespace, pod, container } = request;
      if (![namespace, pod, container].every((part) => SAFE_NAME.test(part))) return null;
      const file = join(root, 'logs', namespace, pod, `${container}${request.previous ? '.previous' : ''}.log`);
      const text = await readScenarioText(file);
      if (text === undefined) return null;
      if (request.tailLines === undefined || request.tailLines < 0) return text;
      const lines = text.split(/\r?\n/);
      if (lines.length && lines[lines.length - 1] === '') lines.pop();
      return lines.slice(Math.max(0, lines.length - request.tailLines)).join('\n') + (lines.length ? '\n' : '');
    },
  };
}

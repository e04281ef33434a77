import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFixtureKubernetesProvider, itemsOf } from './fixture.ts';
import { kubernetesProviderFromEnv } from './index.ts';

function scenario(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-fixture-'));
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ id: 't', now: '2026-03-14T10:32:00Z' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const list = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
const meta = (name: string, namespace?: string) => ({ metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('fixture Kubernetes provider', () => {
  it('reads kubectl List files, filters by namespace, and treats missing files as empty lists', async () => {
    const dir = scenario({
      'kubernetes/pods.json': list([meta('a', 'checkout'), meta('b', 'catalog')]),
      'kubernetes/nodes.json': list([meta('ip-1')]),
    });
    const provider = createFixtureKubernetesProvider(dir);
    expect((await provider.list('pods')).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect((await provider.list('pods', { namespace: 'catalog' })).map((p) => p.metadata.name)).toEqual(['b']);
    expect(await provider.list('nodes', { namespace: 'catalog' })).toHaveLength(1);
    expect(await provider.list('hpa')).toEqual([]);
    expect(await createFixtureKubernetesProvider(join(dir, 'missing')).list('pods')).toEqual([]);
  });

  it('accepts a bare array or a single object, and drops items without a name', () => {
    expect(itemsOf([meta('a'), { metadata: {} }, null])).toHaveLength(1);
    expect(itemsOf(meta('one'))).toHaveLength(1);
    expect(itemsOf({ items: 'nope' })).toEqual([]);
  });

  it('caches parsed files per provider instance', async () => {
    const dir = scenario({ 'kubernetes/pods.json': list([meta('a', 'x')]) });
    const provider = createFixtureKubernetesProvider(dir);
    expect(await provider.list('pods')).toHaveLength(1);
    writeFileSync(join(dir, 'kubernetes/pods.json'), list([meta('a', 'x'), meta('b', 'x')]));
    expect(await provider.list('pods')).toHaveLength(1);
    expect(await createFixtureKubernetesProvider(dir).list('pods')).toHaveLength(2);
  });

  it('serves current and previous container logs with --tail, and null when there is no such log', async () => {
    const dir = scenario({
      'kubernetes/logs/checkout/web-1/app.log': '2026-03-14T10:30:00Z one\n2026-03-14T10:31:00Z two\n2026-03-14T10:31:30Z three\n',
      'kubernetes/logs/checkout/web-1/app.previous.log': '2026-03-14T10:20:00Z Exception in thread "main"\n',
    });
    const provider = createFixtureKubernetesProvider(dir);
    expect(await provider.podLogs({ namespace: 'checkout', pod: 'web-1', container: 'app', tailLines: 2 })).toBe('2026-03-14T10:31:00Z two\n2026-03-14T10:31:30Z three\n');
    expect(await provider.podLogs({ namespace: 'checkout', pod: 'web-1', container: 'app', previous: true })).toContain('Exception');
    expect(await provider.podLogs({ namespace: 'checkout', pod: 'web-2', container: 'app' })).toBeNull();
    // Names come from tool arguments: nothing outside the logs folder can be read.
    expect(await provider.podLogs({ namespace: '..', pod: '..', container: 'scenario' })).toBeNull();
  });

  it('rejects invalid JSON as an unavailable backend rather than crashing', async () => {
    const dir = scenario({ 'kubernetes/pods.json': '{ not json' });
    await expect(createFixtureKubernetesProvider(dir).list('pods')).rejects.toMatchObject({ type: 'Unavailable' });
  });
});

describe('kubernetesProviderFromEnv', () => {
  it('serves a scenario folder from SRE_AGENT_SCENARIO and says which variable is missing otherwise', async () => {
    const dir = scenario({ 'kubernetes/pods.json': list([meta('a', 'x')]) });
    expect(await kubernetesProviderFromEnv({ SRE_AGENT_SCENARIO: dir }).list('pods')).toHaveLength(1);
    expect(() => kubernetesProviderFromEnv({})).toThrow(/SRE_AGENT_SCENARIO/);
    expect(() => kubernetesProviderFromEnv({ KUBERNETES_PROVIDER: 'eks' })).toThrow(/KUBERNETES_PROVIDER=eks/);
  });
});

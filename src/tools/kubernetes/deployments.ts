/** get_deployment_status and get_rollout_history. */
import { currentChanges, deploymentView, rolloutHistory } from '../../kubernetes/deployment.ts';
import type { KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { findOne, loadSnapshot } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

const STATE_RANK: Readonly<Record<string, number>> = { Failed: 0, Degraded: 1, Progressing: 2, Paused: 3, Healthy: 4 };

export async function getDeploymentStatus(args: { namespace?: string; deployment_name?: string; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['deployments', 'replicasets', 'pods', 'events'], args.namespace);
  let deployments = snapshot.list('deployments').filter((d) => d?.metadata?.name && (!args.namespace || d.metadata.namespace === args.namespace));
  if (args.deployment_name) deployments = [findOne(deployments, 'Deployment', args.deployment_name, args.namespace, 'deployment_name')];
  const views = deployments
    .map((d) => deploymentView(snapshot, d))
    .sort((a, b) => (STATE_RANK[a.status] ?? 5) - (STATE_RANK[b.status] ?? 5) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const page = bounded(views, args.limit);
  return { deployments: page.items, total_count: page.total_count, truncated: page.truncated };
}

export async function getRolloutHistory(args: { namespace?: string; deployment_name: string; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['deployments', 'replicasets', 'pods', 'events'], args.namespace);
  const dep = findOne(snapshot.list('deployments'), 'Deployment', args.deployment_name, args.namespace, 'deployment_name');
  const view = deploymentView(snapshot, dep);
  const history = rolloutHistory(snapshot, dep);
  const changed = currentChanges(history);
  const page = bounded(history, args.limit);
  return {
    deployment: view.name,
    namespace: view.namespace,
    status: view.status,
    summary: view.summary,
    images: view.images,
    ...(view.current_revision !== undefined ? { current_revision: view.current_revision } : {}),
    // What the current revision changed: the answer to "what did this rollout change?", even with limit 1.
    ...(changed ? { changes: changed.changes, changes_from_revision: changed.previous, ...(changed.restart ? { restart: true } : {}) } : {}),
    revisions: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
  };
}

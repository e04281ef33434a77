/** get_node_status. */
import { nodeView } from '../../kubernetes/node.ts';
import type { KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { findOne, loadSnapshot } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

export async function getNodeStatus(args: { node_name?: string; status?: string; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['nodes', 'pods']);
  let nodes = snapshot.list('nodes').filter((n) => n?.metadata?.name);
  if (args.node_name) nodes = [findOne(nodes, 'Node', args.node_name, undefined, 'node_name')];
  let views = nodes.map((n) => nodeView(n, snapshot.list('pods')));
  if (args.status) {
    const want = args.status.toLowerCase();
    views = views.filter((v) =>
      want === 'unhealthy' ? v.ready !== 'True' || v.pressure.length > 0 || v.unschedulable : v.status.toLowerCase().split(',').includes(want) || v.ready.toLowerCase() === want,
    );
  }
  // Nodes needing attention first: not ready, then under pressure or cordoned.
  const rank = (v: (typeof views)[number]) => (v.ready !== 'True' ? 0 : v.pressure.length || v.unschedulable ? 1 : 2);
  views.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const page = bounded(views, args.limit);
  return { nodes: page.items, total_count: page.total_count, truncated: page.truncated };
}

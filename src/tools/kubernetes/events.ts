/** get_cluster_events: every event in the window, newest first, with counts and first/last seen. */
import { eventView } from '../../kubernetes/events.ts';
import { canonicalKind } from '../../kubernetes/objects.ts';
import type { KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { InputError } from '../../domain/errors.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { loadSnapshot, windowView } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

export const DEFAULT_EVENT_LOOKBACK_MS = 2 * 3_600_000;

interface EventArgs {
  since?: string;
  until?: string;
  severity?: string;
  namespace?: string;
  object_kind?: string;
  object_name?: string;
  reason?: string;
  limit: number;
}

export async function getClusterEvents(args: EventArgs, ctx: Ctx) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { since: 'since', end: 'until' }, DEFAULT_EVENT_LOOKBACK_MS);
  let kind: string | undefined;
  if (args.object_kind) {
    kind = canonicalKind(args.object_kind) ?? args.object_kind.trim();
    if (!kind) throw new InputError('argument \'object_kind\' is empty', 'object_kind');
  }
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['events'], args.namespace);
  const reason = args.reason?.trim().toLowerCase();
  const name = args.object_name?.trim();
  const events = snapshot.events.filter((e) => {
    // An event counts while it keeps recurring: last seen inside the window, first seen before its end.
    if (e.lastSeen < window.start || e.firstSeen > window.end) return false;
    if (args.namespace && e.namespace !== args.namespace) return false;
    if (args.severity === 'Normal' && e.type !== 'Normal') return false;
    if ((args.severity === 'Warning' || args.severity === 'Error') && e.type === 'Normal') return false;
    if (kind && e.kind.toLowerCase() !== kind.toLowerCase()) return false;
    if (name && e.name !== name && !e.name.startsWith(`${name}-`)) return false;
    if (reason && e.reason.toLowerCase() !== reason) return false;
    return true;
  });
  const page = bounded(events, args.limit);
  return {
    events: page.items.map(eventView),
    total_count: page.total_count,
    truncated: page.truncated,
    warning_count: events.filter((e) => e.type !== 'Normal').length,
    window: windowView(window.start, window.end),
  };
}

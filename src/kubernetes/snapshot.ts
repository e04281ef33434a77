/**
 * A point-in-time view of the cluster: the raw lists a provider returned, indexed for lookups by reference and
 * uid, with events normalised and grouped by involved object, and owner chains resolved once.
 */
import { KUBE_KINDS, type KubeKind, type KubeObject } from '../providers/kubernetes/port.ts';
import { type KubeEvent, normalizeEvents } from './events.ts';
import { KIND_OF_LIST, LIST_OF_KIND, isClusterScopedKind, refOf } from './objects.ts';

type OwnerReference = NonNullable<KubeObject['metadata']['ownerReferences']>[number];

export type KubeLists = Partial<Record<KubeKind, readonly KubeObject[]>>;

/**
 * The built-in workload kinds and the API groups that serve them (`extensions` and the beta versions of `apps`
 * in old recordings; ReplicationController is core). A custom resource may reuse a kind name in its own group.
 */
const WORKLOAD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
  ReplicationController: [''],
};

/** Whether a kind is a built-in workload kind (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob...). */
export function isWorkloadKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(WORKLOAD_GROUPS, kind);
}

interface OwnerLink {
  ref: string;
  kind: string;
  /** A built-in workload (Deployment, StatefulSet...) rather than a custom resource or another kind. */
  builtIn: boolean;
  namespaced: boolean;
}

/** The API group of an apiVersion: `apps/v1` → apps, `v1` → '' (core). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether an owner is a built-in workload: a workload kind, in a group of the API itself when the reference names one. */
function isBuiltInWorkloadOwner(owner: OwnerReference): boolean {
  const groups = WORKLOAD_GROUPS[owner.kind];
  return !!groups && (!owner.apiVersion || groups.includes(groupOf(owner.apiVersion)));
}

function workloadOfLinks(links: readonly OwnerLink[]): string {
  for (let i = links.length - 1; i >= 0; i--) if (links[i]!.builtIn) return links[i]!.ref;
  // No built-in workload: the topmost owner in the object's namespace (a custom controller of its pods).
  for (let i = links.length - 1; i > 0; i--) if (links[i]!.namespaced && links[0]!.namespaced) return links[i]!.ref;
  return links[0]!.ref;
}

export interface Located {
  kind: string;
  obj: KubeObject;
  ref: string;
}

export class ClusterSnapshot {
  readonly now: number;
  readonly events: readonly KubeEvent[];
  private readonly lists: Record<KubeKind, readonly KubeObject[]>;
  private readonly byRef = new Map<string, Located>();
  private readonly byUid = new Map<string, Located>();
  private readonly eventsByObject = new Map<string, KubeEvent[]>();
  private readonly chains = new Map<string, OwnerLink[]>();
  private readonly chainRefs = new Map<string, string[]>();

  constructor(lists: KubeLists, now: number) {
    this.now = now;
    this.lists = Object.fromEntries(KUBE_KINDS.map((k) => [k, lists[k] ?? []])) as Record<KubeKind, readonly KubeObject[]>;
    for (const list of KUBE_KINDS) {
      if (list === 'events') continue;
      const kind = KIND_OF_LIST[list];
      for (const obj of this.lists[list]) {
        if (!obj?.metadata?.name) continue;
        const located = { kind, obj, ref: refOf(kind, obj) };
        this.byRef.set(located.ref, located);
        if (obj.metadata.uid) this.byUid.set(obj.metadata.uid, located);
      }
    }
    this.events = normalizeEvents(this.lists.events);
    for (const e of this.events) {
      let list = this.eventsByObject.get(e.object);
      if (!list) this.eventsByObject.set(e.object, (list = []));
      list.push(e);
    }
  }

  list(kind: KubeKind): readonly KubeObject[] {
    return this.lists[kind];
  }

  /** Objects of an API kind (`Pod`, `Deployment`...). */
  objects(kind: string): readonly KubeObject[] {
    const list = LIST_OF_KIND[kind];
    return list ? this.lists[list].filter((o) => o?.metadata?.name) : [];
  }

  get(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.byRef.get(`${kind}/${isClusterScopedKind(kind) ? '' : namespace}/${name}`)?.obj;
  }

  lookup(ref: string): Located | undefined {
    return this.byRef.get(ref);
  }

  /** Events about one object (`Kind/namespace/name`), newest first. */
  eventsFor(ref: string): readonly KubeEvent[] {
    return this.eventsByObject.get(ref) ?? [];
  }

  /**
   * The owner chain of an object, itself first and its top controller last: Pod → ReplicaSet → Deployment,
   * Pod → Job → CronJob, Pod → StatefulSet → RabbitmqCluster (an operator's custom resource). Owners missing
   * from the recorded lists still appear, from the ownerReference; a ReplicaSet's Deployment is recognised by
   * the pod-template-hash naming rule when the ReplicaSet itself was not recorded.
   */
  ownerChain(kind: string, obj: KubeObject): string[] {
    const self = refOf(kind, obj);
    let refs = this.chainRefs.get(self);
    if (!refs) this.chainRefs.set(self, (refs = this.links(kind, obj).map((l) => l.ref)));
    return refs;
  }

  /**
   * The workload an object belongs to: the highest built-in workload of its owner chain (Deployment over its
   * ReplicaSet, CronJob over its Job, a StatefulSet even when an operator's custom resource owns it), which is
   * what people and kubectl name. Without a built-in workload in the chain, the top of the chain within the
   * object's namespace (a custom controller owning pods directly); the object itself when it has no owner.
   */
  workloadOf(kind: string, obj: KubeObject): string {
    return workloadOfLinks(this.links(kind, obj));
  }

  /** The chain of links with what is known of each: kind, and whether it is a built-in API kind. */
  private links(kind: string, obj: KubeObject): OwnerLink[] {
    const self = refOf(kind, obj);
    const cached = this.chains.get(self);
    if (cached) return cached;
    const chain: OwnerLink[] = [{ ref: self, kind, builtIn: isWorkloadKind(kind), namespaced: !isClusterScopedKind(kind) }];
    const refs = new Set([self]);
    const hash = obj.metadata.labels?.['pod-template-hash'];
    let current: KubeObject | undefined = obj;
    let currentKind = kind;
    let currentName = obj.metadata.name;
    const namespace = obj.metadata.namespace ?? '';
    for (let depth = 0; depth < 6; depth++) {
      const owners: OwnerReference[] = current?.metadata.ownerReferences ?? [];
      const owner: OwnerReference | undefined = owners.find((o) => o.controller) ?? owners[0];
      let next: Located | undefined;
      if (owner?.kind && owner.name) {
        const scoped = isClusterScopedKind(owner.kind);
        next = (owner.uid ? this.byUid.get(owner.uid) : undefined) ?? this.byRef.get(`${owner.kind}/${scoped ? '' : namespace}/${owner.name}`);
        const ref = next?.ref ?? `${owner.kind}/${scoped ? '' : namespace}/${owner.name}`;
        if (refs.has(ref)) break;
        refs.add(ref);
        chain.push({ ref, kind: owner.kind, builtIn: isBuiltInWorkloadOwner(owner), namespaced: !scoped });
        current = next?.obj;
        currentKind = owner.kind;
        currentName = owner.name;
        continue;
      }
      // No owner reference: a Deployment's ReplicaSet is named `<deployment>-<pod-template-hash>`.
      const rsHash = current?.metadata.labels?.['pod-template-hash'] ?? hash;
      if (currentKind === 'ReplicaSet' && rsHash && currentName.endsWith(`-${rsHash}`)) {
        const deployment = currentName.slice(0, -(rsHash.length + 1));
        const ref = `Deployment/${namespace}/${deployment}`;
        if (deployment && (this.byRef.has(ref) || this.lists.deployments.length === 0) && !refs.has(ref)) {
          chain.push({ ref, kind: 'Deployment', builtIn: true, namespaced: true });
        }
      }
      break;
    }
    this.chains.set(self, chain);
    return chain;
  }

  /**
   * The workload of an object known only by name (a deleted pod, an old ReplicaSet) from the naming rules of
   * the controllers: `<replicaset|daemonset|job>-<5 chars>` for their pods, `<statefulset>-<ordinal>`,
   * `<deployment>-<pod-template-hash>` for ReplicaSets and their pods, or a recorded sibling pod owned by the
   * same controller. A recorded object is answered by its owner chain; without a match, the object itself.
   */
  workloadByName(kind: string, namespace: string, name: string): { workload: string; via?: string } {
    const self = `${kind}/${isClusterScopedKind(kind) ? '' : namespace}/${name}`;
    const recorded = this.byRef.get(self);
    if (recorded) return { workload: this.workloadOf(kind, recorded.obj) };
    const owned = (ownerKind: string, ownerName: string): { workload: string; via: string } | undefined => {
      const owner = this.get(ownerKind, namespace, ownerName);
      if (owner) return { workload: this.workloadOf(ownerKind, owner), via: `${ownerKind} ${ownerName}` };
      // A recorded sibling pod with the same controller knows the chain above it.
      const sibling = this.lists.pods.find(
        (p) => p?.metadata?.name && (p.metadata.namespace ?? '') === namespace && (p.metadata.ownerReferences ?? []).some((o) => o.kind === ownerKind && o.name === ownerName),
      );
      return sibling ? { workload: this.workloadOf('Pod', sibling), via: `sibling pod ${sibling.metadata.name} of ${ownerKind} ${ownerName}` } : undefined;
    };
    const byHash = (rsName: string): { workload: string; via: string } | undefined => {
      const m = /^(.+)-([a-z0-9]{6,10})$/.exec(rsName);
      if (!m || !this.get('Deployment', namespace, m[1]!)) return undefined;
      return { workload: `Deployment/${namespace}/${m[1]}`, via: `pod-template-hash naming of Deployment ${m[1]}` };
    };
    if (kind === 'Pod') {
      const generated = /^(.+)-([a-z0-9]{5})$/.exec(name);
      if (generated) {
        const prefix = generated[1]!;
        for (const ownerKind of ['ReplicaSet', 'DaemonSet', 'Job']) {
          const found = owned(ownerKind, prefix);
          if (found) return found;
        }
        const found = byHash(prefix);
        if (found) return found;
      }
      const ordinal = /^(.+)-(\d+)$/.exec(name);
      if (ordinal) {
        const found = owned('StatefulSet', ordinal[1]!);
        if (found) return found;
      }
    } else if (kind === 'ReplicaSet') {
      const found = byHash(name);
      if (found) return found;
    }
    return { workload: self };
  }

  /** Pods whose owner chain contains `ref` (a Deployment, ReplicaSet, StatefulSet, DaemonSet or Job). */
  podsOf(ref: string): KubeObject[] {
    return this.lists.pods.filter((p) => p?.metadata?.name && this.ownerChain('Pod', p).includes(ref));
  }

  /** ReplicaSets owned by a Deployment (by owner reference, or by the naming rule when references are absent). */
  replicaSetsOf(deployment: KubeObject): KubeObject[] {
    const ref = refOf('Deployment', deployment);
    return this.lists.replicasets.filter((rs) => rs?.metadata?.name && this.ownerChain('ReplicaSet', rs).includes(ref));
  }
}

/**
 * Grading exactly as the Grading section of ../shared/SCENARIOS.md says. This module (with the contract checker)
 * is the only reader of expected.json.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResource, sameResource } from '../domain/resource.ts';
import type { InvestigationResult } from '../domain/result.ts';

export interface Expected {
  category: string;
  acceptCategories?: string[];
  resource?: string | null;
  acceptResources?: string[];
  mentions?: string[];
}

export interface Grade {
  top1: boolean;
  top3: boolean;
  /** Share of `mentions` found in the report, 0..1 (1 when there are none). */
  mentions: number;
  missingMentions: string[];
}

/** Owner lookup for "a Pod or ReplicaSet owned by the expected Deployment counts as that Deployment". */
export type OwnerOf = (resource: string) => string | undefined;

export async function readExpected(scenarioDir: string): Promise<Expected> {
  return JSON.parse(await readFile(join(scenarioDir, 'expected.json'), 'utf8')) as Expected;
}

export function gradeResult(expected: Expected, result: InvestigationResult | undefined, report: string | undefined, ownerOf: OwnerOf = () => undefined): Grade {
  const mentions = expected.mentions ?? [];
  if (!result) return { top1: false, top3: false, mentions: 0, missingMentions: mentions };
  const text = (report ?? '').toLowerCase();
  const missing = mentions.filter((m) => !text.includes(m.toLowerCase()));
  const share = mentions.length ? (mentions.length - missing.length) / mentions.length : 1;

  if (expected.category === 'none') {
    const ok = result.rootCause === null || result.rootCause.category === 'none';
    return { top1: ok, top3: ok, mentions: share, missingMentions: missing };
  }
  const categories = new Set([expected.category, ...(expected.acceptCategories ?? [])]);
  const resources = [expected.resource, ...(expected.acceptResources ?? [])].filter((r): r is string => !!r);
  const matches = (h: { category: string; resource: string } | null | undefined) =>
    !!h && categories.has(h.category) && namesResource(h.resource, resources, ownerOf);
  return {
    top1: matches(result.rootCause),
    top3: result.hypotheses.slice(0, 3).some((h) => matches(h)),
    mentions: share,
    missingMentions: missing,
  };
}

function namesResource(given: string, accepted: readonly string[], ownerOf: OwnerOf): boolean {
  // Follow the owner chain (Pod → ReplicaSet → Deployment) a few steps.
  let current: string | undefined = given;
  for (let hops = 0; current && hops < 4; hops++) {
    if (accepted.some((a) => sameResource(a, current!))) return true;
    const kind = parseResource(current)?.kind.toLowerCase();
    if (kind !== 'pod' && kind !== 'replicaset') return false;
    current = ownerOf(current);
  }
  return false;
}

/** Owners from the scenario's recorded Pods and ReplicaSets (ownerReferences, else the pod-template-hash naming rule). */
export async function scenarioOwners(scenarioDir: string): Promise<OwnerOf> {
  const owners = new Map<string, string>();
  for (const file of ['pods.json', 'replicasets.json']) {
    let items: Array<{ kind?: string; metadata?: { name?: string; namespace?: string; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> } }> = [];
    try {
      items = (JSON.parse(await readFile(join(scenarioDir, 'kubernetes', file), 'utf8')) as { items?: typeof items }).items ?? [];
    } catch {
      continue;
    }
    const kind = file === 'pods.json' ? 'Pod' : 'ReplicaSet';
    for (const item of items) {
      const m = item.metadata;
      if (!m?.name) continue;
      const owner = m.ownerReferences?.find((o) => o.controller) ?? m.ownerReferences?.[0];
      if (owner) owners.set(`${kind.toLowerCase()}/${m.namespace ?? ''}/${m.name}`, `${owner.kind}/${m.namespace ?? ''}/${owner.name}`);
    }
  }
  return (resource) => {
    const ref = parseResource(resource);
    if (!ref) return undefined;
    const known = owners.get(`${ref.kind.toLowerCase()}/${ref.namespace}/${ref.name}`);
    if (known) return known;
    // Naming rule: <deployment>-<hash> for ReplicaSets, <replicaset>-<suffix> for pods.
    const cut = ref.name.lastIndexOf('-');
    if (cut <= 0) return undefined;
    if (ref.kind.toLowerCase() === 'replicaset') return `Deployment/${ref.namespace}/${ref.name.slice(0, cut)}`;
    if (ref.kind.toLowerCase() === 'pod') return `ReplicaSet/${ref.namespace}/${ref.name.slice(0, cut)}`;
    return undefined;
  };
}

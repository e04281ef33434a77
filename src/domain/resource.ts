/**
 * Resources are named `Kind/namespace/name` everywhere (results, findings, grading); cluster-scoped objects
 * have an empty namespace: `Node//ip-10-0-1-12`.
 */
export interface ResourceRef {
  kind: string;
  namespace: string;
  name: string;
}

export function formatResource(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** Parses `Kind/namespace/name`; returns null when the string is not of that form. */
export function parseResource(value: string): ResourceRef | null {
  const first = value.indexOf('/');
  const second = first < 0 ? -1 : value.indexOf('/', first + 1);
  if (first <= 0 || second < 0) return null;
  const name = value.slice(second + 1);
  if (!name || name.includes('/')) return null;
  return { kind: value.slice(0, first), namespace: value.slice(first + 1, second), name };
}

/** Kubernetes kinds compare case-insensitively in user input (`deployment/x` and `Deployment/x`). */
export function sameResource(a: string, b: string): boolean {
  const ra = parseResource(a);
  const rb = parseResource(b);
  if (!ra || !rb) return a === b;
  return ra.kind.toLowerCase() === rb.kind.toLowerCase() && ra.namespace === rb.namespace && ra.name === rb.name;
}

/**
 * Label selectors: the string syntax of `kubectl -l` (`app=web,tier!=db,env in (prod,stage),!canary`) and the
 * API's LabelSelector objects (matchLabels + matchExpressions) and Service selectors (plain maps).
 */
import { InputError } from '../domain/errors.ts';

export type Requirement =
  | { key: string; op: 'in'; values: string[] }
  | { key: string; op: 'notin'; values: string[] }
  | { key: string; op: 'exists' }
  | { key: string; op: 'notexists' };

export type Selector = Requirement[];

const KEY_RE = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/;
// Label values: empty, or alphanumerics with -, _ and . inside.
const VALUE_RE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/;

/** Parses a `kubectl -l` selector; throws InputError naming `field` when it is malformed. */
export function parseLabelSelector(text: string, field = 'label_selector'): Selector {
  const out: Requirement[] = [];
  for (const raw of splitTopLevel(text)) {
    const part = raw.trim();
    if (!part) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/i.exec(part))) {
      const values = m[3]!.split(',').map((v) => checkValue(v.trim(), text, field)).filter(Boolean);
      out.push({ key: checkKey(m[1]!, text, field), op: m[2]!.toLowerCase() as 'in' | 'notin', values });
    } else if ((m = /^([^\s!=]+)\s*!=\s*([^\s,]*)$/.exec(part))) {
      out.push({ key: checkKey(m[1]!, text, field), op: 'notin', values: [checkValue(m[2]!, text, field)] });
    } else if ((m = /^([^\s!=]+)\s*==?\s*([^\s,]*)$/.exec(part))) {
      out.push({ key: checkKey(m[1]!, text, field), op: 'in', values: [checkValue(m[2]!, text, field)] });
    } else if ((m = /^!\s*([^\s!=]+)$/.exec(part))) {
      out.push({ key: checkKey(m[1]!, text, field), op: 'notexists' });
    } else if (KEY_RE.test(part)) {
      out.push({ key: part, op: 'exists' });
    } else {
      throw new InputError(`'${text}' is not a label selector (e.g. app=web,tier!=db or env in (prod,stage))`, field);
    }
  }
  return out;
}

function checkKey(key: string, text: string, field: string): string {
  if (!KEY_RE.test(key)) throw new InputError(`'${text}' is not a label selector: bad label key '${key}'`, field);
  return key;
}

function checkValue(value: string, text: string, field: string): string {
  if (!VALUE_RE.test(value)) throw new InputError(`'${text}' is not a label selector: bad label value '${value}'`, field);
  return value;
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

export function matchesSelector(labels: Readonly<Record<string, string>> | undefined, selector: Selector): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** An API LabelSelector (Deployment spec.selector) as requirements; an empty selector matches everything. */
export function fromLabelSelectorObject(selector: LabelSelectorObject | undefined): Selector {
  const out: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) out.push({ key, op: 'in', values: [value] });
  for (const e of selector?.matchExpressions ?? []) {
    const op = e.operator?.toLowerCase();
    if (op === 'in') out.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'notin') out.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'exists') out.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') out.push({ key: e.key, op: 'notexists' });
  }
  return out;
}

/** A Service's selector map as requirements; empty when the Service has no selector (it then matches no pods). */
export function fromMap(selector: Record<string, string> | undefined): Selector {
  return Object.entries(selector ?? {}).map(([key, value]) => ({ key, op: 'in' as const, values: [value] }));
}

export function formatMapSelector(selector: Record<string, string> | undefined): string {
  return Object.entries(selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1G`, `129e6`) as numbers: CPU in millicores,
 * everything else in base units (bytes, pods). Same grammar as apimachinery's resource.Quantity.
 */

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The value of a quantity in base units; undefined when the text is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY_RE.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** CPU in millicores (`250m` → 250, `2` → 2000). */
export function cpuMillicores(value: unknown): number | undefined {
  const cores = parseQuantity(value);
  return cores === undefined ? undefined : Math.round(cores * 1000 * 1000) / 1000;
}

/** Memory in bytes. */
export function memoryBytes(value: unknown): number | undefined {
  const bytes = parseQuantity(value);
  return bytes === undefined ? undefined : Math.round(bytes);
}

/** Millicores as kubectl prints them: `250m`, `2` for whole cores. */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${Math.round(millicores)}m`;
}

/** Bytes in the largest binary unit that keeps a readable number: `512Mi`, `1.5Gi`. */
export function formatMemory(bytes: number): string {
  const units: Array<[string, number]> = [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [unit, size] of units) {
    if (Math.abs(bytes) >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : Math.round(v * 10) / 10}${unit}`;
    }
  }
  return String(bytes);
}

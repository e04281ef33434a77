/** Deterministic series builders shared by the metric analyzer tests (not used at run time). */
import type { Series } from './series.ts';

export const MINUTE = 60_000;
/** 2024-03-01T00:00:00Z: a fixed origin so expected onsets are exact numbers. */
export const T0 = Date.UTC(2024, 2, 1);

/** A seeded generator of approximately standard-normal noise (sum of 12 uniforms), reproducible across runs. */
export function seededNoise(seed: number): () => number {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  return () => {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += uniform();
    return sum - 6;
  };
}

/** A series with one sample every `stepMs` from `start`, value i computed by `valueAt(i)`. */
export function regularSeries(count: number, valueAt: (i: number) => number, start = T0, stepMs = MINUTE): Series {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    timestamps.push(start + i * stepMs);
    values.push(valueAt(i));
  }
  return { timestamps, values };
}

import { describe, expect, it } from 'vitest';
import { DAY_MS, recursDaily } from './seasonality.ts';
import { MINUTE, T0, regularSeries, seededNoise } from './test-series.ts';

const STEP = 5 * MINUTE;
const PER_DAY = DAY_MS / STEP;
/** Index of hh:mm on day `day` (0-based) in a 5-minute series starting at midnight. */
const at = (day: number, hour: number, minute = 0): number => day * PER_DAY + (hour * 60 + minute) / 5;

/** Three days of 5-minute samples around 10, with a 100 peak on the given (day, start index) pairs for 30 minutes. */
function threeDays(peaks: Array<[number, number]>, height = 100): ReturnType<typeof regularSeries> {
  const noise = seededNoise(11);
  return regularSeries(3 * PER_DAY, (i) => {
    const inPeak = peaks.some(([, start]) => i >= start && i < start + 6);
    return inPeak ? height + noise() : 10 + noise();
  }, T0, STEP);
}

describe('recursDaily', () => {
  it('recognises a peak that happens every day at the same time', () => {
    const s = threeDays([[0, at(0, 14)], [1, at(1, 14)], [2, at(2, 14)]]);
    const r = recursDaily(s, T0 + at(2, 14, 10) * STEP);
    expect(r).toEqual({ recurs: true, matchingDays: 2, checkedDays: 2 });
  });

  it('does not match a peak seen only today', () => {
    const s = threeDays([[2, at(2, 14)]]);
    expect(recursDaily(s, T0 + at(2, 14, 10) * STEP)).toEqual({ recurs: false, matchingDays: 0, checkedDays: 2 });
  });

  it('allows the daily peak to drift within the tolerance', () => {
    // Earlier days peak 13:20-13:45: inside +-30 minutes of 14:00, outside +-10.
    const s = threeDays([[0, at(0, 13, 20)], [1, at(1, 13, 20)], [2, at(2, 14)]]);
    const peakAt = T0 + at(2, 14) * STEP;
    expect(recursDaily(s, peakAt).recurs).toBe(true);
    expect(recursDaily(s, peakAt, { toleranceMinutes: 10 })).toEqual({ recurs: false, matchingDays: 0, checkedDays: 2 });
  });

  it('needs the deviation on at least half of the days checked and at least minDays', () => {
    const s = threeDays([[1, at(1, 14)], [2, at(2, 14)]]);
    const peakAt = T0 + at(2, 14, 10) * STEP;
    expect(recursDaily(s, peakAt)).toEqual({ recurs: true, matchingDays: 1, checkedDays: 2 });
    expect(recursDaily(s, peakAt, { minDays: 2 }).recurs).toBe(false);
  });

  it('does not count a much smaller bump as the same deviation', () => {
    const noise = seededNoise(12);
    const s = regularSeries(3 * PER_DAY, (i) => {
      const minuteOfDay = ((i * 5) % 1440);
      const inWindow = minuteOfDay >= 14 * 60 && minuteOfDay < 14 * 60 + 30;
      return 10 + noise() + (inWindow ? (i >= 2 * PER_DAY ? 90 : 20) : 0);
    }, T0, STEP);
    expect(recursDaily(s, T0 + at(2, 14, 10) * STEP)).toEqual({ recurs: false, matchingDays: 0, checkedDays: 2 });
  });

  it('matches a daily drop as well as a daily peak', () => {
    const s = threeDays([[0, at(0, 3)], [1, at(1, 3)], [2, at(2, 3)]], 0);
    expect(recursDaily(s, T0 + at(2, 3, 10) * STEP)).toEqual({ recurs: true, matchingDays: 2, checkedDays: 2 });
  });

  it('checks no day without history, and nothing when the value at `at` is ordinary', () => {
    const s = threeDays([[0, at(0, 14)], [1, at(1, 14)], [2, at(2, 14)]]);
    expect(recursDaily(s, T0 + at(0, 14, 10) * STEP)).toEqual({ recurs: false, matchingDays: 0, checkedDays: 0 });
    expect(recursDaily(s, T0 + at(2, 9) * STEP)).toEqual({ recurs: false, matchingDays: 0, checkedDays: 2 });
  });

  it('skips days with no samples at that time of day', () => {
    const s = threeDays([[0, at(0, 14)], [1, at(1, 14)], [2, at(2, 14)]]);
    const gapFrom = at(1, 13);
    const gapTo = at(1, 15);
    const sparse = {
      timestamps: s.timestamps.filter((_, i) => i < gapFrom || i >= gapTo),
      values: s.values.filter((_, i) => i < gapFrom || i >= gapTo),
    };
    expect(recursDaily(sparse, T0 + at(2, 14, 10) * STEP)).toEqual({ recurs: true, matchingDays: 1, checkedDays: 1 });
  });
});

describe('recursWeekly', () => {
  it('finds a deviation on the same weekday a week earlier that does not happen every day', async () => {
    const { recursWeekly, recursDaily, WEEK_MS } = await import('./seasonality.ts');
    const start = Date.UTC(2026, 2, 1);
    const step = 5 * 60_000;
    const timestamps: number[] = [];
    const values: number[] = [];
    const at = start + WEEK_MS + 6 * 3_600_000; // day 7, 06:00
    for (let t = start; t <= at + 30 * 60_000; t += step) {
      timestamps.push(t);
      const hour = (t - start) % 86_400_000;
      const sameWeekday = Math.floor((t - start) / 86_400_000) % 7 === 0;
      // Baseline ~100 with a little noise; a bump to ~400 around 06:00 on day 0 and day 7 only.
      const bump = sameWeekday && Math.abs(hour - 6 * 3_600_000) <= 45 * 60_000 ? 300 : 0;
      values.push(100 + ((t / step) % 7) + bump);
    }
    const series = { timestamps, values };
    expect(recursDaily(series, at).recurs).toBe(false);
    expect(recursWeekly(series, at)).toMatchObject({ recurs: true, matchingDays: 1, checkedDays: 1 });
    expect(recursWeekly(series, at - 3 * 3_600_000).recurs).toBe(false);
  });
});

/** A small counter of string values, read back as the most frequent ones. */
export class Counter {
  private readonly counts = new Map<string, number>();

  add(value: string | undefined, by = 1): void {
    if (value === undefined || value === '') return;
    this.counts.set(value, (this.counts.get(value) ?? 0) + by);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Values by count, most frequent first (ties by name), at most `limit`. */
  top(limit: number): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([v]) => v);
  }
}

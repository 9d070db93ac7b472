/** Summary of frame inter-arrival times, ms (as in the conformance captures). */
export interface ArrivalSummary {
  n: number;
  min: number;
  median: number;
  mean: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Collects inter-arrival times for a probe. Keeps at most `capacity` intervals (a probe lasts
 * seconds, so the default holds about 10 minutes at 50 frames/s) and ignores the rest.
 */
export class ArrivalRecorder {
  private readonly intervals: number[] = [];
  private last: number | undefined;
  private readonly capacity: number;

  constructor(capacity = 30_000) {
    this.capacity = capacity;
  }

  record(monotonicMs: number): void {
    if (this.last !== undefined && this.intervals.length < this.capacity) this.intervals.push(monotonicMs - this.last);
    this.last = monotonicMs;
  }

  summary(): ArrivalSummary | null {
    const n = this.intervals.length;
    if (n === 0) return null;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(n - 1, Math.floor(q * (n - 1)))]!;
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    return {
      n,
      min: round(sorted[0]!),
      median: round(at(0.5)),
      mean: round(sorted.reduce((s, v) => s + v, 0) / n),
      p90: round(at(0.9)),
      p99: round(at(0.99)),
      max: round(sorted[n - 1]!),
    };
  }
}

/**
 * The pixel columns of a scrolling waveform: the min and max sample of each column of
 * `samplesPerColumn` samples, for the newest `width` complete columns. PCM is folded in as it
 * arrives (a few comparisons per sample), so drawing never walks the whole window: it takes the
 * columns completed since it last drew. Plain typed arrays, allocated once (no per-batch garbage).
 * DOM-free, so it is unit-tested in Node against a brute-force reference.
 */
export class WaveColumns {
  readonly width: number;
  readonly samplesPerColumn: number;
  /** Ring of [min, max] pairs (int16 sample values): column k lives at slot k % width. */
  private readonly ring: Int16Array;
  /** Wall-clock ms at the end of each column (its last sample), same slots; 0 before any audio. */
  private readonly times: Float64Array;
  /** Complete columns since creation. */
  private count = 0;
  private pendingMin = 32767;
  private pendingMax = -32768;
  private pendingSamples = 0;

  constructor(width: number, samplesPerColumn: number) {
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be a positive integer, got ${width}`);
    if (!Number.isInteger(samplesPerColumn) || samplesPerColumn < 1) throw new RangeError(`samplesPerColumn must be a positive integer, got ${samplesPerColumn}`);
    this.width = width;
    this.samplesPerColumn = samplesPerColumn;
    // Columns before the first audio read as silence (min = max = 0): a flat line, as before audio.
    this.ring = new Int16Array(width * 2);
    this.times = new Float64Array(width);
  }

  /** Complete columns since creation (the picture has moved by this many pixels). */
  get added(): number {
    return this.count;
  }

  /**
   * Folds samples in; returns how many columns they completed. `wallMs` is the wall-clock time of
   * the first sample (16 kHz): it dates each completed column, for drawing findings over them.
   */
  push(samples: Int16Array, wallMs = 0): number {
    const before = this.count;
    const per = this.samplesPerColumn;
    let min = this.pendingMin;
    let max = this.pendingMax;
    let n = this.pendingSamples;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      if (++n === per) {
        const k = this.count % this.width;
        const slot = k * 2;
        this.ring[slot] = min;
        this.ring[slot + 1] = max;
        this.times[k] = wallMs + (i + 1) / SAMPLES_PER_MS;
        this.count++;
        min = 32767;
        max = -32768;
        n = 0;
      }
    }
    this.pendingMin = min;
    this.pendingMax = max;
    this.pendingSamples = n;
    return this.count - before;
  }

  /**
   * Copies the newest `n` complete columns (n ≤ width), oldest first, as [min, max] pairs into
   * `out` (which must hold 2n values) and returns the filled part of it.
   */
  newest(n: number, out: Int16Array): Int16Array {
    const take = Math.max(0, Math.min(n, this.width));
    if (out.length < take * 2) throw new RangeError(`out holds ${out.length} values, ${take * 2} needed`);
    for (let i = 0; i < take; i++) {
      const slot = ((((this.count - take + i) % this.width) + this.width) % this.width) * 2;
      out[i * 2] = this.ring[slot]!;
      out[i * 2 + 1] = this.ring[slot + 1]!;
    }
    return out.subarray(0, take * 2);
  }

  /**
   * Copies `n` complete columns starting at column number `first` (counted from creation), oldest
   * first, into `out`; they must still be in the ring (first ≥ added − width, first + n ≤ added).
   */
  range(first: number, n: number, out: Int16Array): Int16Array {
    this.checkHeld(first, n);
    for (let i = 0; i < n; i++) {
      const slot = ((first + i) % this.width) * 2;
      out[i * 2] = this.ring[slot]!;
      out[i * 2 + 1] = this.ring[slot + 1]!;
    }
    return out.subarray(0, n * 2);
  }

  /** Like {@link range}, for the columns' end times (wall-clock ms). */
  rangeTimes(first: number, n: number, out: Float64Array): Float64Array {
    this.checkHeld(first, n);
    for (let i = 0; i < n; i++) out[i] = this.times[(first + i) % this.width]!;
    return out.subarray(0, n);
  }

  private checkHeld(first: number, n: number): void {
    if (n < 0 || first < 0 || first < this.count - this.width || first + n > this.count) throw new RangeError(`columns ${first}..${first + n} are not held (added ${this.count}, width ${this.width})`);
  }

  /** Wall-clock ms at the end of column number `k` (0 before any audio or when no longer held). */
  timeOf(k: number): number {
    return k < 0 || k < this.count - this.width || k >= this.count ? 0 : this.times[k % this.width]!;
  }

  /** Like {@link newest}, for the columns' end times (wall-clock ms): `out` must hold n values. */
  newestTimes(n: number, out: Float64Array): Float64Array {
    const take = Math.max(0, Math.min(n, this.width));
    if (out.length < take) throw new RangeError(`out holds ${out.length} values, ${take} needed`);
    for (let i = 0; i < take; i++) out[i] = this.times[(((this.count - take + i) % this.width) + this.width) % this.width]!;
    return out.subarray(0, take);
  }
}

/** SLIN16: samples per millisecond. */
const SAMPLES_PER_MS = 16;

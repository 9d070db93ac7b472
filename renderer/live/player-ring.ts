/**
 * A player's jitter ring: SLIN16 samples with a single writer and a single reader, in shared
 * memory: the live worker writes a leg's audio and the audio worklet reads it while playing, with no message between
 * them (each message to the audio thread costs it a task). Positions are sample counts modulo
 * 2^32, published with Atomics so the reader never sees samples before they are written. The
 * writer never waits: when the reader falls behind by more than the ring holds, it notices (the
 * distance exceeds the capacity) and skips to the newest audio.
 */
export class PlayerRing {
  /** Samples the ring holds: a power of two (about a second at 16 kHz). */
  static readonly CAPACITY = 16_384;
  private static readonly HEADER_BYTES = 8;
  /** Bytes of a ring's buffer. */
  static readonly BYTES = PlayerRing.HEADER_BYTES + PlayerRing.CAPACITY * 2;
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /** [write position, read position]. */
  private readonly pos: Int32Array;
  private readonly data: Int16Array;
  private readonly mask = PlayerRing.CAPACITY - 1;

  /**
   * A ring over `buffer`: shared with the other side (a SharedArrayBuffer), or private to one
   * thread (an ArrayBuffer, where packets arrive by message and are written on the same thread).
   */
  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    if (buffer.byteLength !== PlayerRing.BYTES) throw new RangeError(`A PCM ring is ${PlayerRing.BYTES} bytes, got ${buffer.byteLength}`);
    this.buffer = buffer;
    this.pos = new Int32Array(buffer, 0, 2);
    this.data = new Int16Array(buffer, PlayerRing.HEADER_BYTES, PlayerRing.CAPACITY);
  }

  /** Writer: appends samples (only the newest CAPACITY of a larger batch matter, and are kept). */
  write(samples: Int16Array): void {
    let w = Atomics.load(this.pos, 0);
    // Sample i goes where the reader will look for it (w + i); of a batch longer than the ring
    // only the last CAPACITY samples survive, so only they are written.
    const from = Math.max(0, samples.length - PlayerRing.CAPACITY);
    for (let i = from; i < samples.length; i++) this.data[(w + i) & this.mask] = samples[i]!;
    w = (w + samples.length) | 0;
    Atomics.store(this.pos, 0, w);
  }

  /** Samples written since the ring was made (modulo 2^32). */
  get written(): number {
    return Atomics.load(this.pos, 0) >>> 0;
  }

  /** Reader: samples waiting (never more than the capacity: older ones were overwritten). */
  available(): number {
    return Math.min((Atomics.load(this.pos, 0) - Atomics.load(this.pos, 1)) >>> 0, PlayerRing.CAPACITY);
  }

  /** Reader: drops the oldest waiting samples so that at most `keep` remain; returns how many were dropped. */
  keepNewest(keep: number): number {
    const w = Atomics.load(this.pos, 0);
    const waiting = (w - Atomics.load(this.pos, 1)) >>> 0;
    if (waiting <= keep) return 0;
    Atomics.store(this.pos, 1, (w - keep) | 0);
    return waiting - keep;
  }

  /**
   * Reader: moves up to `n` waiting samples into `out` from `offset` as floats in [-1, 1); returns
   * how many. Call {@link keepNewest} first with less than the capacity: a reader that fell a whole
   * ring behind would otherwise read overwritten audio.
   */
  readInto(out: Float32Array, offset: number, n: number): number {
    const r = Atomics.load(this.pos, 1);
    const take = Math.min(n, this.available(), out.length - offset);
    for (let i = 0; i < take; i++) out[offset + i] = this.data[(r + i) & this.mask]! / 32768;
    Atomics.store(this.pos, 1, (r + take) | 0);
    return take;
  }
}

/** Samples per millisecond at SLIN16's 16 kHz. */
const PER_MS = 16;
/** A leg whose audio arrives this much later than its clock position is re-placed (a gap). */
const RESYNC_SAMPLES = 60 * PER_MS;
/** The output waits at most this long for a quiet leg before writing silence for it. */
const WAIT_SAMPLES = 200 * PER_MS;

interface Chunk {
  pos: number;
  samples: Int16Array;
}

/**
 * Places two legs' audio side by side on one timeline by arrival time: leg 0 left, leg 1 right.
 * A leg's audio is contiguous while it keeps pace; after a gap (dropout, hold) it is placed where
 * the clock says, and the gap is silence. Pure and clock-driven, so it is tested exactly.
 */
export class StereoAligner {
  private readonly t0: number;
  private readonly next: [number | undefined, number | undefined] = [undefined, undefined];
  private readonly queues: [Chunk[], Chunk[]] = [[], []];
  private written = 0;

  /** @param startWallMs wall-clock time of sample 0 */
  constructor(startWallMs: number) {
    this.t0 = startWallMs;
  }

  /** Adds audio of a leg that finished arriving at `wallMs`. */
  push(leg: 0 | 1, wallMs: number, samples: Int16Array): void {
    const byClock = Math.round((wallMs - this.t0) * PER_MS) - samples.length;
    const expected = this.next[leg];
    let pos = expected === undefined || byClock - expected > RESYNC_SAMPLES ? Math.max(0, byClock) : expected;
    // Never write over what already went to disk.
    pos = Math.max(pos, this.written);
    this.queues[leg].push({ pos, samples });
    this.next[leg] = pos + samples.length;
  }

  /**
   * Interleaved stereo ready by `nowWallMs`: up to where both legs have arrived, or up to the
   * clock minus a wait when a leg is quiet. With `final`, everything that arrived.
   */
  drain(nowWallMs: number, final = false): Int16Array {
    const ends = this.next.map((n) => n ?? 0);
    let limit = Math.min(...ends);
    if (final) limit = Math.max(...ends);
    else limit = Math.max(limit, Math.min(Math.max(...ends), Math.round((nowWallMs - this.t0) * PER_MS) - WAIT_SAMPLES));
    if (limit <= this.written) return new Int16Array(0);
    const out = new Int16Array((limit - this.written) * 2);
    for (const leg of [0, 1] as const) {
      const queue = this.queues[leg];
      while (queue.length > 0) {
        const c = queue[0]!;
        const from = Math.max(c.pos, this.written);
        const to = Math.min(c.pos + c.samples.length, limit);
        for (let p = from; p < to; p++) out[(p - this.written) * 2 + leg] = c.samples[p - c.pos]!;
        if (c.pos + c.samples.length <= limit) queue.shift();
        else break;
      }
    }
    this.written = limit;
    return out;
  }

  /** Samples per channel written so far. */
  get position(): number {
    return this.written;
  }
}

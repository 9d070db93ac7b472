/** Samples per millisecond at SLIN16's 16 kHz. */
const PER_MS = 16;
/** A leg whose audio stays this much later than its clock position is re-placed (a gap). */
const RESYNC_SAMPLES = 60 * PER_MS;
/** The output waits at most this long for a quiet leg before writing silence for it. */
const WAIT_SAMPLES = 200 * PER_MS;
/** How long a late leg is watched before its lateness is taken as a real gap. */
const SETTLE_MS = 100;

interface Chunk {
  pos: number;
  samples: Int16Array;
}

/** A leg's audio since it arrived late: placed provisionally, moved as one block once settled. */
interface Pending {
  /** Where the block starts if there was no gap. */
  start: number;
  /** Index of the block's first chunk in the leg's queue. */
  first: number;
  /** Arrival time of that first chunk. */
  openedMs: number;
  /** Smallest lateness (arrival position minus contiguous position) seen since, samples. */
  lateness: number;
  /** The leg's first audio: placed by any lateness, not only beyond the resync threshold. */
  initial: boolean;
}

/**
 * Places two legs' audio side by side on one timeline by arrival time: leg 0 left, leg 1 right.
 * A leg's audio is contiguous while it keeps pace; after a gap (dropout, hold) it is placed where
 * the clock says, and the gap is silence. Pure and clock-driven, so it is tested exactly.
 *
 * Arrival time alone is not the clock: when this process is busy for a moment (a GC pause, a
 * loaded machine) frames sit in the socket and are then read together, the first of them late by
 * the whole pause. Treating that as a gap inserted silence into a continuous leg and shifted it
 * against the other. So a late leg is placed provisionally, and it is moved by the smallest
 * lateness seen during the next {@link SETTLE_MS}: a burst catching up brings that to zero (no
 * gap), a real gap keeps it.
 */
export class StereoAligner {
  private readonly t0: number;
  private readonly next: [number | undefined, number | undefined] = [undefined, undefined];
  private readonly queues: [Chunk[], Chunk[]] = [[], []];
  private readonly pending: [Pending | undefined, Pending | undefined] = [undefined, undefined];
  private written = 0;

  /** @param startWallMs wall-clock time of sample 0 */
  constructor(startWallMs: number) {
    this.t0 = startWallMs;
  }

  /** Adds audio of a leg that finished arriving at `wallMs`. */
  push(leg: 0 | 1, wallMs: number, samples: Int16Array): void {
    const byClock = Math.round((wallMs - this.t0) * PER_MS) - samples.length;
    const initial = this.next[leg] === undefined;
    // Never write over what already went to disk.
    const pos = Math.max(this.next[leg] ?? 0, this.written);
    const lateness = byClock - pos;
    const open = this.pending[leg];
    if (open) open.lateness = Math.min(open.lateness, lateness);
    else if (initial || lateness > RESYNC_SAMPLES) this.pending[leg] = { start: pos, first: this.queues[leg].length, openedMs: wallMs, lateness, initial };
    this.queues[leg].push({ pos, samples });
    this.next[leg] = pos + samples.length;
    this.settle(leg, wallMs, false);
  }

  /** Moves a late leg's block by its settled lateness once watched long enough (or at the end). */
  private settle(leg: 0 | 1, wallMs: number, final: boolean): void {
    const p = this.pending[leg];
    if (!p) return;
    const done = final || wallMs - p.openedMs >= SETTLE_MS || (!p.initial && p.lateness <= RESYNC_SAMPLES) || p.lateness <= 0;
    if (!done) return;
    this.pending[leg] = undefined;
    const gap = p.initial || p.lateness > RESYNC_SAMPLES ? Math.max(0, p.lateness) : 0;
    if (gap === 0) return;
    const queue = this.queues[leg];
    for (let i = p.first; i < queue.length; i++) queue[i]!.pos += gap;
    this.next[leg] = this.next[leg]! + gap;
  }

  /**
   * Interleaved stereo ready by `nowWallMs`: up to where both legs have arrived, or up to the
   * clock minus a wait when a leg is quiet. With `final`, everything that arrived.
   */
  drain(nowWallMs: number, final = false): Int16Array {
    this.settle(0, nowWallMs, final);
    this.settle(1, nowWallMs, final);
    const ends = this.next.map((n) => n ?? 0);
    let limit = Math.min(...ends);
    if (final) limit = Math.max(...ends);
    else limit = Math.max(limit, Math.min(Math.max(...ends), Math.round((nowWallMs - this.t0) * PER_MS) - WAIT_SAMPLES));
    // A block that may still move is not written yet.
    for (const p of this.pending) if (p) limit = Math.min(limit, p.start);
    if (limit <= this.written) return new Int16Array(0);
    const out = new Int16Array((limit - this.written) * 2);
    for (const leg of [0, 1] as const) {
      const queue = this.queues[leg];
      let shifted = 0;
      while (queue.length > 0) {
        const c = queue[0]!;
        const from = Math.max(c.pos, this.written);
        const to = Math.min(c.pos + c.samples.length, limit);
        for (let p = from; p < to; p++) out[(p - this.written) * 2 + leg] = c.samples[p - c.pos]!;
        if (c.pos + c.samples.length <= limit) {
          queue.shift();
          shifted++;
        } else break;
      }
      const p = this.pending[leg];
      if (p) p.first -= shifted;
    }
    this.written = limit;
    return out;
  }

  /** Samples per channel written so far. */
  get position(): number {
    return this.written;
  }
}

/** Arrival gaps longer than this are counted: twice the 20 ms frame period Asterisk uses. */
export const GAP_THRESHOLD_MS = 40;

/**
 * A snapshot of a transport's socket counters ({@link SocketStats}), for its outcome and the CLI's
 * probe; plain data so it can be printed as JSON. (A tap's live figures for the UI are the
 * contract's TapStatsView, owned by the session's stats stage.)
 */
export interface SocketStatsSnapshot {
  /** Binary messages received. */
  frames: number;
  /** Payload bytes received. */
  bytes: number;
  /** Arrival gaps over {@link GAP_THRESHOLD_MS}. */
  gaps: number;
  /** Longest arrival gap seen, ms. */
  maxGapMs: number;
  /** Frames received after the tap was stopped, read and thrown away to keep the socket safe. */
  drained: number;
  /** Time from open to first frame, ms, or null before the first frame. */
  firstFrameMs: number | null;
  /** Frame sizes seen, size → count (bounded: at most 32 distinct sizes, the rest under -1). */
  sizes: Record<string, number>;
}

const MAX_DISTINCT_SIZES = 32;

/** What a transport counts of its socket (what arrived, gaps, drained frames), behind {@link SocketStatsSnapshot}; O(1) memory whatever the stream length. */
export class SocketStats {
  frames = 0;
  bytes = 0;
  gaps = 0;
  maxGapMs = 0;
  drained = 0;
  firstFrameMs: number | null = null;
  private lastArrival: number | undefined;
  private readonly sizes = new Map<number, number>();

  /** Records a frame that arrived at monotonic time `nowMs`, `openedAtMs` being the open time. */
  recordFrame(byteLength: number, nowMs: number, openedAtMs: number): void {
    this.frames += 1;
    this.bytes += byteLength;
    if (this.firstFrameMs === null) this.firstFrameMs = nowMs - openedAtMs;
    if (this.lastArrival !== undefined) {
      const gap = nowMs - this.lastArrival;
      if (gap > GAP_THRESHOLD_MS) this.gaps += 1;
      if (gap > this.maxGapMs) this.maxGapMs = gap;
    }
    this.lastArrival = nowMs;
    const key = this.sizes.has(byteLength) || this.sizes.size < MAX_DISTINCT_SIZES ? byteLength : -1;
    this.sizes.set(key, (this.sizes.get(key) ?? 0) + 1);
  }

  snapshot(): SocketStatsSnapshot {
    return {
      frames: this.frames,
      bytes: this.bytes,
      gaps: this.gaps,
      maxGapMs: Math.round(this.maxGapMs * 10) / 10,
      drained: this.drained,
      firstFrameMs: this.firstFrameMs === null ? null : Math.round(this.firstFrameMs * 10) / 10,
      sizes: Object.fromEntries([...this.sizes].map(([k, v]) => [String(k), v])),
    };
  }
}

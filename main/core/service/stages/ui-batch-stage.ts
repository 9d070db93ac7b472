import { performance } from 'node:perf_hooks';
import type { TapChunk, TapStage } from '../tap-stage.ts';

/** At most one PCM message per leg per this period. */
const BATCH_MS = 20;

interface LegBatch {
  pending: Buffer[];
  firstWallMs: number;
  lastFlushAt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The last stage: batches each leg's audio for the UI's data plane. Leading-edge: a frame goes
 * out at once when nothing was sent for its leg in the last 20 ms (Asterisk's steady 20 ms pace
 * adds no delay); a burst goes as one batch 20 ms after the previous one, so the UI gets at most
 * 50 messages a second per leg.
 */
export class UiBatchStage implements TapStage {
  readonly name = 'ui-batch';
  private readonly legs: LegBatch[];
  private readonly send: (leg: number, wallClockMs: number, data: Buffer) => void;
  private stopped = false;

  constructor(legCount: number, send: (leg: number, wallClockMs: number, data: Buffer) => void) {
    this.send = send;
    this.legs = Array.from({ length: legCount }, () => ({ pending: [], firstWallMs: 0, lastFlushAt: -Infinity, timer: undefined }));
  }

  push(chunk: TapChunk): void {
    if (this.stopped) return;
    const leg = this.legs[chunk.leg]!;
    if (leg.pending.length === 0) leg.firstWallMs = chunk.wallClockMs;
    leg.pending.push(chunk.data);
    if (leg.timer) return;
    const wait = BATCH_MS - (chunk.monotonicMs - leg.lastFlushAt);
    if (wait <= 0) this.flush(chunk.leg);
    else leg.timer = setTimeout(() => this.flush(chunk.leg), wait);
  }

  /** Sends what arrived for a leg since its last batch. */
  private flush(index: number): void {
    const leg = this.legs[index]!;
    if (leg.timer) clearTimeout(leg.timer);
    leg.timer = undefined;
    leg.lastFlushAt = performance.now();
    if (leg.pending.length === 0) return;
    const data = leg.pending.length === 1 ? leg.pending[0]! : Buffer.concat(leg.pending);
    leg.pending = [];
    if (!this.stopped) this.send(index, leg.firstWallMs, data);
  }

  /** A leg's last batch is already on its timer: nothing to do. */
  endLeg(): void {}

  /** Sends nothing more (the tap was stopped); pending batches are dropped with their timers. */
  dispose(): void {
    this.stopped = true;
    for (const leg of this.legs) {
      if (leg.timer) clearTimeout(leg.timer);
      leg.timer = undefined;
      leg.pending = [];
    }
  }
}

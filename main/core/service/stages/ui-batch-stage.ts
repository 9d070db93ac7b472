import { performance } from 'node:perf_hooks';
import type { TapChunk, TapStage } from '../tap-stage.ts';

/**
 * The pace of the UI's messages per leg: at most one per PACE_MS on average (100 a second), half
 * Asterisk's 20 ms frame period. A pace equal to the frame rate would never drain a lag: one frame
 * held back (a burst after a stall, two frames in one tick) would hold every later frame by as
 * much, for as long as the call lasts.
 */
const PACE_MS = 10;
/** How far ahead of that pace a leg may be: one message, so two frames arriving together both go at once. */
const TOLERANCE_MS = 10;

interface LegBatch {
  pending: Buffer[];
  firstWallMs: number;
  /** When the leg's next message is due at the steady pace (monotonic ms). */
  due: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The last stage: batches each leg's audio for the UI's data plane, paced like a token bucket
 * (GCRA): a chunk goes out at once unless its leg is more than one message ahead of the pace.
 * Asterisk's 20 ms frames go out as they come, whatever their jitter and after any burst; only
 * three or more chunks within 10 ms are merged, so a flood reaches the UI as at most 100 messages
 * a second per leg.
 */
export class UiBatchStage implements TapStage {
  readonly name = 'ui-batch';
  private readonly legs: LegBatch[];
  private readonly send: (leg: number, wallClockMs: number, data: Buffer) => void;
  private readonly now: () => number;
  private stopped = false;

  /** `now` is the monotonic clock of chunk.monotonicMs (tests give their own). */
  constructor(legCount: number, send: (leg: number, wallClockMs: number, data: Buffer) => void, now: () => number = () => performance.now()) {
    this.send = send;
    this.now = now;
    this.legs = Array.from({ length: legCount }, () => ({ pending: [], firstWallMs: 0, due: -Infinity, timer: undefined }));
  }

  push(chunk: TapChunk): void {
    if (this.stopped) return;
    const leg = this.legs[chunk.leg]!;
    if (leg.pending.length === 0) leg.firstWallMs = chunk.wallClockMs;
    leg.pending.push(chunk.data);
    if (leg.timer) return;
    const wait = leg.due - TOLERANCE_MS - chunk.monotonicMs;
    if (wait <= 0) this.flush(chunk.leg, chunk.monotonicMs);
    else leg.timer = setTimeout(() => this.flush(chunk.leg, this.now()), wait);
  }

  /** Sends what arrived for a leg since its last batch. */
  private flush(index: number, at: number): void {
    const leg = this.legs[index]!;
    if (leg.timer) clearTimeout(leg.timer);
    leg.timer = undefined;
    leg.due = Math.max(leg.due, at) + PACE_MS;
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

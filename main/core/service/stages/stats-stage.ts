import { measureLevels, SILENCE_DBFS } from '../../audio/levels.ts';
import { GAP_THRESHOLD_MS } from '../../tap/socket-stats.ts';
import type { TapStatsView } from '../../../../preload/contract.ts';
import type { TapChunk, TapStage } from '../tap-stage.ts';

/** What the stats stage owns of a leg's {@link TapStatsView}: everything but the recorders' drops. */
export type LegFigures = Omit<TapStatsView, 'drops'>;

/** Meters fall back this much per 20 ms frame of audio (about 20 dB per second), as meters do. */
const PEAK_FALL_PER_FRAME_DB = 0.4;
const FRAME_BYTES = 640;

/** Counts and levels of every leg: the one owner of a tap's live figures (drops excepted: the recorders own those). */
export class StatsStage implements TapStage {
  readonly name = 'stats';
  private readonly legs: (LegFigures & { lastArrival: number | undefined })[];

  constructor(legCount: number) {
    this.legs = Array.from({ length: legCount }, () => ({ frames: 0, bytes: 0, gaps: 0, peakDbfs: SILENCE_DBFS, rmsDbfs: SILENCE_DBFS, lastArrival: undefined }));
  }

  push(chunk: TapChunk): void {
    const leg = this.legs[chunk.leg]!;
    leg.frames += 1;
    leg.bytes += chunk.data.length;
    if (leg.lastArrival !== undefined && chunk.monotonicMs - leg.lastArrival > GAP_THRESHOLD_MS) leg.gaps += 1;
    leg.lastArrival = chunk.monotonicMs;
    const levels = measureLevels(chunk.data);
    const frames = Math.max(1, chunk.data.length / FRAME_BYTES);
    leg.peakDbfs = Math.max(levels.peakDbfs, leg.peakDbfs - PEAK_FALL_PER_FRAME_DB * frames);
    leg.rmsDbfs = levels.rmsDbfs;
  }

  endLeg(): void {}

  /** A leg's figures, levels rounded to 0.1 dB. */
  figures(leg: number): LegFigures {
    const l = this.legs[leg]!;
    return { frames: l.frames, bytes: l.bytes, gaps: l.gaps, peakDbfs: Math.round(l.peakDbfs * 10) / 10, rmsDbfs: Math.round(l.rmsDbfs * 10) / 10 };
  }

  dispose(): void {}
}

import type { StreamDetector, TapChunk, TapStage } from '../tap-stage.ts';

/**
 * Runs the tap's streaming detectors (main/core/diagnostics) on every leg, after stats and replay
 * and before the recorders, so a finding is known by the time its audio is written. Findings
 * leave through each detector's own events.
 */
export class DetectorsStage implements TapStage {
  readonly name = 'detectors';
  private readonly detectors: readonly StreamDetector[];
  private readonly ended: Set<number> = new Set();
  private readonly legCount: number;
  private finished = false;
  private disposed = false;

  constructor(legCount: number, detectors: readonly StreamDetector[]) {
    this.legCount = legCount;
    this.detectors = detectors;
  }

  push(chunk: TapChunk): void {
    if (this.detectors.length === 0) return;
    const samples = chunk.samples;
    for (const d of this.detectors) d.push(chunk.leg, samples, chunk.wallClockMs);
  }

  endLeg(leg: number): void {
    const now = Date.now();
    for (const d of this.detectors) d.endLeg?.(leg, now);
    this.ended.add(leg);
    if (this.ended.size === this.legCount) this.finish();
  }

  /** Every leg ended or the tap stopped: the detectors close what is open, once. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const d of this.detectors) d.finish?.();
  }

  /** Finishes (once) and lets every detector go: stopping the tap and disposing it both end here. */
  dispose(): void {
    this.finish();
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.detectors) d.dispose?.();
  }
}

import { PcmRing } from '../../audio/pcm-ring.ts';
import { SLIN16, byteRate } from '../../audio/wav-format.ts';
import type { TapChunk, TapStage } from '../tap-stage.ts';

/** How much audio each leg keeps for instant replay. */
export const REPLAY_SECONDS = 120;

/** The last {@link REPLAY_SECONDS} of every leg, for "Save last" even when not recording. */
export class ReplayStage implements TapStage {
  readonly name = 'replay';
  private readonly rings: PcmRing[];

  constructor(legCount: number) {
    this.rings = Array.from({ length: legCount }, () => new PcmRing(REPLAY_SECONDS * byteRate(SLIN16)));
  }

  push(chunk: TapChunk): void {
    this.rings[chunk.leg]!.push(chunk.data);
  }

  endLeg(): void {}

  /** A copy of the last `bytes` a leg kept (fewer if it holds less). */
  last(leg: number, bytes: number): Buffer {
    return this.rings[leg]!.last(bytes);
  }

  dispose(): void {
    for (const r of this.rings) r.clear();
  }
}

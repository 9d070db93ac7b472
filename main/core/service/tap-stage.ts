import type { Disposable } from '../common/disposable.ts';

/** One piece of a leg's audio on its way through a tap's stages, in arrival order. */
export interface TapChunk {
  /** The leg's index in its tap: 0 for one channel; 0 and 1 for the two legs of a call. */
  readonly leg: number;
  /**
   * Whole SLIN16 samples, little-endian, even length. Shared by every stage: none may write into
   * it; one that keeps it beyond `push` keeps the reference (it is never reused).
   */
  readonly data: Buffer;
  /** The same audio as 16-bit samples: a view of `data` where aligned, else a copy made once. */
  readonly samples: Int16Array;
  /** When the chunk arrived, ms since the epoch (fractional). */
  readonly wallClockMs: number;
  /** When the chunk arrived, monotonic ms (performance.now()). */
  readonly monotonicMs: number;
}

/**
 * One step of a tap's frame path. {@link TapSession} is the only subscriber of its transports and
 * calls its stages in a fixed order for every chunk: stats → replay → detectors → recorders → UI
 * batch. A stage owns its figures (no stage writes into another's, nor into the transport), and
 * a new feature on the audio is a new stage, not a new listener on the socket.
 */
export interface TapStage extends Disposable {
  /** For logs and tests, e.g. "stats". */
  readonly name: string;
  /** Takes one chunk. Runs on the socket's path: O(chunk) work, no I/O waited for. */
  push(chunk: TapChunk): void;
  /** The leg sends nothing more (it ended, failed, or the tap was stopped). */
  endLeg(leg: number): void;
}

/**
 * A pure streaming detector (main/core/diagnostics): what the detectors stage runs. It reads a
 * leg's samples as they come and keeps O(1) state per leg; its findings leave through its own
 * events, which whoever created it listens to.
 */
export interface StreamDetector {
  push(leg: number, samples: Int16Array, wallClockMs: number): void;
  /** Optional: the leg ended, so a finding in progress (a silence, a tone) is closed now. */
  endLeg?(leg: number, wallClockMs: number): void;
  /** Optional: every leg ended (or the tap was stopped): close what is open; later pushes are ignored. */
  finish?(): void;
  /** Optional: the tap is gone; let go of listeners and buffers (called once, after finish). */
  dispose?(): void;
}

/** A chunk for the stages from what a transport delivered. */
export function tapChunk(leg: number, pcm: { data: Buffer; wallClockMs: number; monotonicMs: number }): TapChunk {
  const { data } = pcm;
  let samples: Int16Array | undefined;
  return {
    leg,
    data,
    wallClockMs: pcm.wallClockMs,
    monotonicMs: pcm.monotonicMs,
    get samples(): Int16Array {
      samples ??=
        data.byteOffset % 2 === 0
          ? new Int16Array(data.buffer, data.byteOffset, data.byteLength / 2)
          : new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      return samples;
    },
  };
}

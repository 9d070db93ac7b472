import type { WaveColors } from './wave-draw.ts';

/** Messages from the page to the waveform drawing worker (one worker draws every live waveform). */
export type WaveWorkerRequest =
  | { kind: 'attach'; id: number; canvas: OffscreenCanvas; colors: WaveColors }
  | { kind: 'detach'; id: number }
  /** Bring the picture up to date: `cols` are the newest min(new, width) columns, [min, max] int16 pairs, oldest first. */
  | { kind: 'draw'; id: number; width: number; height: number; cols: Int16Array; full: boolean; colors?: WaveColors }
  /** Tests: compare the picture with a full redraw of `cols` (the newest `width` columns). */
  | { kind: 'check'; id: number; reqId: number; cols: Int16Array };

/** Replies from the worker. */
export type WaveWorkerReply = { kind: 'checked'; reqId: number; maxDiff: number; barHeights: number[] };

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { readSmallFile, writeFileAtomic } from '../common/safe-write.ts';
import { inspectWav, type WavLayout } from './wav-reader.ts';

/** Peaks per second of audio: enough for a sharp picture at any zoom a person uses to find a moment. */
export const PEAKS_PER_SECOND = 100;
/** Peaks are stored as 0..PEAK_SCALE (the loudest sample of a bucket, rounded up so quiet audio still shows). */
export const PEAK_SCALE = 255;
const CACHE_VERSION = 1;

/** A recording's waveform overview: per channel, the largest |sample| of each bucket. */
export interface WavPeaks {
  peaksPerSecond: number;
  scale: number;
  durationMs: number;
  /** One array per channel, `ceil(frames / bucket)` values in 0..scale. */
  data: number[][];
}

interface PeaksCache extends WavPeaks {
  version: number;
  sourceBytes: number;
  sourceMtimeMs: number;
}

/**
 * Computes peaks by streaming through the file once (64 KiB at a time): memory stays flat
 * whatever the length, and the renderer never decodes the audio to draw it.
 */
export async function computePeaks(path: string, layout?: WavLayout, peaksPerSecond = PEAKS_PER_SECOND): Promise<WavPeaks> {
  const w = layout ?? (await inspectWav(path, { strict: true }));
  const { channels, sampleRate } = w.format;
  const bucket = Math.max(1, Math.round(sampleRate / peaksPerSecond));
  const frames = w.dataBytes / (2 * channels);
  const count = Math.ceil(frames / bucket);
  const out = Array.from({ length: channels }, () => new Uint16Array(count));
  let frame = 0;
  let ch = 0;
  let carry: Buffer | undefined;
  if (w.dataBytes === 0) return { peaksPerSecond: sampleRate / bucket, scale: PEAK_SCALE, durationMs: 0, data: out.map(() => []) };
  const stream = createReadStream(path, { start: w.dataOffset, end: w.dataOffset + w.dataBytes - 1, highWaterMark: 64 * 1024 });
  for await (const raw of stream as AsyncIterable<Buffer>) {
    let chunk = carry ? Buffer.concat([carry, raw]) : raw;
    const even = chunk.length - (chunk.length % 2);
    carry = even < chunk.length ? chunk.subarray(even) : undefined;
    chunk = chunk.subarray(0, even);
    for (let i = 0; i < chunk.length; i += 2) {
      const v = chunk.readInt16LE(i);
      // |-32768| is 32768: clamp so a full-scale negative sample reads as full scale, not beyond.
      const q = Math.min(PEAK_SCALE, Math.ceil((Math.abs(v) / 32768) * PEAK_SCALE));
      const b = (frame / bucket) | 0;
      const arr = out[ch]!;
      if (q > arr[b]!) arr[b] = q;
      if (++ch === channels) {
        ch = 0;
        frame++;
      }
    }
  }
  return { peaksPerSecond: sampleRate / bucket, scale: PEAK_SCALE, durationMs: w.durationMs, data: out.map((a) => Array.from(a)) };
}

/** The cache file beside a recording (moved and deleted with it by the recordings folder). */
export function peaksCachePath(path: string): string {
  return `${path}.peaks.json`;
}

/**
 * Peaks from the cache beside the file when it matches the file's size and time, computed
 * (and cached) otherwise. A cache that cannot be written (read-only folder) is not an error.
 */
export async function loadPeaks(path: string, layout?: WavLayout): Promise<WavPeaks & { cached: boolean }> {
  const st = await stat(path);
  const cachePath = peaksCachePath(path);
  try {
    const c = JSON.parse(await readSmallFile(cachePath, 64 * 1024 * 1024)) as Partial<PeaksCache>;
    if (c.version === CACHE_VERSION && c.sourceBytes === st.size && c.sourceMtimeMs === st.mtimeMs && Array.isArray(c.data) && typeof c.durationMs === 'number' && typeof c.peaksPerSecond === 'number') {
      return { peaksPerSecond: c.peaksPerSecond, scale: c.scale ?? PEAK_SCALE, durationMs: c.durationMs, data: c.data, cached: true };
    }
  } catch {
    // No cache, or a damaged one: compute afresh.
  }
  const peaks = await computePeaks(path, layout);
  const cache: PeaksCache = { version: CACHE_VERSION, sourceBytes: st.size, sourceMtimeMs: st.mtimeMs, ...peaks };
  await writeFileAtomic(cachePath, JSON.stringify(cache)).catch(() => undefined);
  return { ...peaks, cached: false };
}

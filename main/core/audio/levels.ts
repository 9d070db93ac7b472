/** Floor used for silence, so meters get a finite number. */
export const SILENCE_DBFS = -120;

/** Peak and RMS of SLIN16 bytes, in dBFS (0 = full scale). */
export interface Levels {
  peakDbfs: number;
  rmsDbfs: number;
  /** Samples at or beyond ±32767 (clipping). */
  clipped: number;
}

export function toDbfs(linear: number): number {
  return linear <= 0 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, 20 * Math.log10(linear));
}

/** Measures 16-bit little-endian samples; an odd trailing byte is ignored. */
export function measureLevels(pcm: Uint8Array): Levels {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const n = Math.floor(pcm.byteLength / 2);
  let peak = 0;
  let sumSquares = 0;
  let clipped = 0;
  for (let i = 0; i < n; i++) {
    const s = view.getInt16(i * 2, true);
    const a = Math.abs(s);
    if (a > peak) peak = a;
    if (a >= 32767) clipped++;
    sumSquares += s * s;
  }
  const rms = n === 0 ? 0 : Math.sqrt(sumSquares / n);
  return { peakDbfs: toDbfs(peak / 32768), rmsDbfs: toDbfs(rms / 32768), clipped };
}

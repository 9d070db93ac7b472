import { open } from 'node:fs/promises';
import { Fft } from './fft.ts';
import type { WavLayout } from './wav-reader.ts';

export interface SpectrogramOptions {
  fftSize?: number;
  /** At most this many columns for the whole file (the picture is resampled to its width anyway). */
  maxFrames?: number;
  /** A column per this many ms when the file is short enough. */
  frameMs?: number;
  /** Level drawn white, dBFS (like the wavesurfer plugin's gainDB, negated). */
  whiteDbfs?: number;
  /** Levels this far below white are drawn black. */
  rangeDb?: number;
}

/**
 * A spectrogram computed in main by reading one FFT window per column straight from the file:
 * the cost depends on the number of columns, not on the length of the recording, and the
 * renderer gets bytes to draw instead of audio to decode. Shape: [channel][column][bin], 0..255,
 * as the wavesurfer spectrogram plugin's frequenciesDataUrl expects.
 */
export async function computeSpectrogram(path: string, layout: WavLayout, opts: SpectrogramOptions = {}): Promise<number[][][]> {
  const fftSize = opts.fftSize ?? 512;
  const frameMs = opts.frameMs ?? 10;
  const maxFrames = opts.maxFrames ?? 6000;
  const white = opts.whiteDbfs ?? -10;
  const range = opts.rangeDb ?? 90;
  const { channels, sampleRate } = layout.format;
  const block = channels * 2;
  const totalFrames = layout.dataBytes / block;
  if (totalFrames < fftSize) return Array.from({ length: channels }, () => []);
  const columns = Math.max(1, Math.min(maxFrames, Math.floor((totalFrames / sampleRate) * (1000 / frameMs))));
  const step = (totalFrames - fftSize) / Math.max(1, columns - 1);
  const fft = new Fft(fftSize);
  const buf = Buffer.alloc(fftSize * block);
  const input = new Float64Array(fftSize);
  const mags = new Float64Array(fftSize / 2);
  const out: number[][][] = Array.from({ length: channels }, () => []);
  const handle = await open(path, 'r');
  try {
    for (let c = 0; c < columns; c++) {
      const first = Math.round(c * step);
      await handle.read(buf, 0, buf.length, layout.dataOffset + first * block);
      for (let ch = 0; ch < channels; ch++) {
        for (let i = 0; i < fftSize; i++) input[i] = buf.readInt16LE(i * block + ch * 2) / 32768;
        fft.magnitudes(input, mags);
        const col = new Array<number>(fftSize / 2);
        for (let k = 0; k < mags.length; k++) {
          const db = 20 * Math.log10(Math.max(mags[k]!, 1e-12));
          col[k] = db <= white - range ? 0 : db >= white ? 255 : Math.round(((db - (white - range)) / range) * 255);
        }
        out[ch]!.push(col);
      }
    }
  } finally {
    await handle.close();
  }
  return out;
}

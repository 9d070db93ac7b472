import { Fft } from '../../main/core/audio/fft.ts';

/** The strongest frequency in 16-bit LE mono PCM, Hz, with parabolic interpolation between bins. */
export function dominantFrequency(pcm: Buffer, sampleRate: number): number {
  const samples = Math.floor(pcm.length / 2);
  let n = 2;
  while (n * 2 <= Math.min(samples, 65536)) n *= 2;
  const input = new Float64Array(n);
  for (let i = 0; i < n; i++) input[i] = pcm.readInt16LE(i * 2) / 32768;
  const mag = new Fft(n).magnitudes(input);
  let best = 1;
  for (let k = 1; k < n / 2 - 1; k++) if (mag[k]! > mag[best]!) best = k;
  const [a, b, c] = [mag[best - 1]!, mag[best]!, mag[best + 1]!];
  const shift = (a - c) / (2 * (a - 2 * b + c)) || 0;
  return ((best + shift) * sampleRate) / n;
}

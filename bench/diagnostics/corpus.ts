/**
 * The labelled corpus of the diagnostics benchmark: speech-like audio the project generates and,
 * when Debian's asterisk-core-sounds-en-wav is installed, real speech (its 8 kHz prompts, upsampled
 * to 16 kHz), with faults injected at known places. Deterministic (seeded).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { DTMF, echoSource, speechSource } from '../../main/sim/signal-generators.ts';

export const SR = 16_000;
export const SOUNDS_DIR = '/usr/share/asterisk/sounds/en';

export interface Label {
  kind: 'silence' | 'one-way' | 'clipping' | 'dropout' | 'echo' | 'dtmf' | 'tone';
  leg: number;
  startS: number;
  endS: number;
  digit?: string;
  delayMs?: number;
  lossDb?: number;
  hz?: number;
  /** Too close to a threshold to score: a finding here is neither right nor wrong. */
  ignore?: boolean;
}

export interface Case {
  name: string;
  source: 'generated' | 'asterisk-sounds';
  legs: Int16Array[];
  labels: Label[];
}

/** mulberry32, the demo PBX's: the corpus is the same on every run. */
export { prng } from '../../main/sim/signal-generators.ts';

/** A speech pool: returns `seconds` of continuous talk starting at a seeded place. */
export type SpeechPool = (seconds: number, rnd: () => number) => Int16Array;

export function generatedSpeech(seconds: number, rnd: () => number): Int16Array {
  const src = speechSource({ f0: 90 + rnd() * 170, seed: Math.floor(rnd() * 1e6), peak: 3000 + rnd() * 9000, talking: () => true });
  const out = new Int16Array(Math.round(seconds * SR));
  for (let f = 0; f * 320 < out.length; f++) out.set(src(f)!.subarray(0, Math.min(320, out.length - f * 320)), f * 320);
  return out;
}

/** Real speech: every prompt of asterisk-core-sounds-en-wav, upsampled, end to end; undefined when not installed. */
export async function asteriskSpeechPool(maxSeconds = 600): Promise<SpeechPool | undefined> {
  if (!existsSync(SOUNDS_DIR)) return undefined;
  const files = readdirSync(SOUNDS_DIR).filter((f) => f.endsWith('.wav')).sort();
  if (files.length === 0) return undefined;
  const parts: Int16Array[] = [];
  let total = 0;
  for (const f of files) {
    const wav = await readWav(join(SOUNDS_DIR, f)).catch(() => undefined);
    if (!wav || wav.format.sampleRate !== 8000 || wav.format.channels !== 1) continue;
    const x = new Int16Array(wav.data.buffer.slice(wav.data.byteOffset, wav.data.byteOffset + wav.data.length));
    const up = upsample2(x);
    parts.push(up);
    total += up.length;
    if (total > maxSeconds * SR) break;
  }
  const pool = concat(parts);
  return (seconds, rnd) => {
    const n = Math.round(seconds * SR);
    const at = Math.floor(rnd() * (pool.length - n));
    return pool.slice(at, at + n);
  };
}

/** 8 → 16 kHz: the samples, and between them a cubic (Catmull-Rom) midpoint. */
export function upsample2(x: Int16Array): Int16Array {
  const y = new Int16Array(x.length * 2);
  const at = (i: number): number => x[Math.max(0, Math.min(x.length - 1, i))]!;
  for (let n = 0; n < x.length; n++) {
    y[2 * n] = x[n]!;
    y[2 * n + 1] = Math.max(-32768, Math.min(32767, Math.round((-at(n - 1) + 9 * at(n) + 9 * at(n + 1) - at(n + 2)) / 16)));
  }
  return y;
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A line's faint noise (about -70 dBFS) added under everything: real lines are never digital zero. */
export function addFloor(x: Int16Array, rnd: () => number): Int16Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.max(-32768, Math.min(32767, x[i]! + Math.round((rnd() * 2 - 1) * 20)));
  return x;
}

/** Scales so the loudest sample is at `peakDbfs`. */
export function normalise(x: Int16Array, peakDbfs: number): Int16Array {
  let max = 1;
  for (const v of x) max = Math.max(max, Math.abs(v));
  const g = (32767 * 10 ** (peakDbfs / 20)) / max;
  for (let i = 0; i < x.length; i++) x[i] = Math.round(x[i]! * g);
  return x;
}

export function dtmfInto(x: Int16Array, at: number, key: string, ms: number, weakPeak: number, twistDb: number, devRow: number, devCol: number): void {
  const [r, c] = DTMF[key]!;
  const rowPeak = twistDb >= 0 ? weakPeak : weakPeak * 10 ** (-twistDb / 20);
  const colPeak = rowPeak * 10 ** (twistDb / 20);
  const n = Math.round((ms * SR) / 1000);
  for (let i = 0; i < n && at + i < x.length; i++) {
    const t = i / SR;
    x[at + i] = Math.max(-32768, Math.min(32767, x[at + i]! + Math.round(rowPeak * Math.sin(2 * Math.PI * r * (1 + devRow) * t) + colPeak * Math.sin(2 * Math.PI * c * (1 + devCol) * t + 1))));
  }
}

export { echoSource };

import type { DetectorSettings } from './detector-settings.ts';
import { dbfsToMeanSquare } from './detector-settings.ts';

/** DTMF row and column frequencies (ITU-T Q.23). */
export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLS = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** The key of a row/column pair. */
export function dtmfKey(row: number, col: number): string {
  return KEYS[row]![col]!;
}

/** The frequencies of a key, or undefined for anything else. */
export function dtmfFrequencies(key: string): [number, number] | undefined {
  for (let r = 0; r < 4; r++) {
    const c = KEYS[r]!.indexOf(key);
    if (c >= 0 && key.length === 1) return [DTMF_ROWS[r]!, DTMF_COLS[c]!];
  }
  return undefined;
}

const DECIMATE = 4;
/** Crest factor² above which a block cannot be two tones (2.0, plus room for noise and a third of a tone's ramp). */
const MAX_CREST_SQ = 2.3 * 2.3;
const FREQS: readonly number[] = [...DTMF_ROWS, ...DTMF_COLS];

/** Called with a digit and its span in samples of the leg. */
export type DigitSink = (digit: string, startSample: number, endSample: number) => void;

/**
 * In-band DTMF by Goertzel, on 10 ms blocks decimated by 4 (DTMF lies under 1.7 kHz). Two
 * consecutive blocks form a 20 ms window judged as one key or none. The eight DTMF frequencies are
 * measured on each block (rectangular window); the two blocks combine exactly into the 20 ms DFT,
 * whose 50 Hz resolution keeps speech's neighbouring harmonics out of the tone powers. For the
 * strongest row and column, a Hann-windowed Goertzel on both blocks gives the phase advance of the
 * tone over one block, hence its true frequency (so ±1.5 % passes and ±3.5 % does not, whatever the
 * bin width), which also corrects the tone's power. Level, twist, the two tones' share of the
 * window's energy (purity) and steadiness across the two blocks must all pass. A key needs
 * `minToneMs` of hits, and ends after `minPauseMs` of misses.
 */
export class DtmfDetector {
  private readonly settings: DetectorSettings['dtmf'];
  private readonly sink: DigitSink;
  private readonly blockSamples: number;
  private readonly m: number;
  private readonly binHz: number;
  private readonly coef = new Float64Array(8);
  private readonly cosW = new Float64Array(8);
  private readonly sinW = new Float64Array(8);
  /** e^{-jωM}: the phase of a block's DFT relative to the previous block's, for an exact tone. */
  private readonly rotRe = new Float64Array(8);
  private readonly rotIm = new Float64Array(8);
  /** Expected phase advance of each frequency over one block (radians). */
  private readonly advance = new Float64Array(8);
  /** Amplitude scale of the decimator (a sum of 4) at each frequency. */
  private readonly decimGain = new Float64Array(8);
  private readonly hann: Float64Array;
  private readonly x = [new Float64Array(0), new Float64Array(0)];
  private readonly re = [new Float64Array(8), new Float64Array(8)];
  private readonly im = [new Float64Array(8), new Float64Array(8)];
  private readonly blockMs = [0, 0];
  private readonly valid = [false, false];
  private cur = 0;
  private hRe = 0;
  private hIm = 0;
  private readonly minToneMs: number;
  private readonly powerToMs: number;
  private readonly maxBoost = new Float64Array(8);
  private readonly maxTwistDb: number;
  private readonly hitsNeeded: number;
  private readonly missesNeeded: number;
  // Key state: the digit being held, its first and last hit windows, and the candidate before it.
  private active: string | null = null;
  private activeStart = 0;
  private activeEnd = 0;
  private misses = 0;
  private candidate: string | null = null;
  private candidateStart = 0;
  private candidateHits = 0;

  constructor(settings: DetectorSettings['dtmf'], sampleRate: number, sink: DigitSink) {
    this.settings = settings;
    this.sink = sink;
    this.blockSamples = Math.round(sampleRate / 100);
    this.m = this.blockSamples / DECIMATE;
    const fd = sampleRate / DECIMATE;
    this.binHz = fd / this.m;
    this.x = [new Float64Array(this.m), new Float64Array(this.m)];
    this.hann = new Float64Array(this.m);
    for (let i = 0; i < this.m; i++) this.hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / this.m);
    FREQS.forEach((f, k) => {
      const w = (2 * Math.PI * f) / fd;
      this.coef[k] = 2 * Math.cos(w);
      this.cosW[k] = Math.cos(w);
      this.sinW[k] = Math.sin(w);
      this.rotRe[k] = Math.cos(w * this.m);
      this.rotIm[k] = -Math.sin(w * this.m);
      this.advance[k] = w * this.m;
      const u = (Math.PI * f) / sampleRate;
      this.decimGain[k] = Math.abs(Math.sin(DECIMATE * u) / Math.sin(u));
    });
    this.minToneMs = dbfsToMeanSquare(settings.minToneDbfs);
    // Mean square of a tone from its 20 ms |DFT|² (before corrections), and the largest
    // correction a tone off by the allowed deviation can get (window and decimator gains).
    const n20 = 2 * this.m;
    this.powerToMs = 2 / (n20 * n20);
    FREQS.forEach((f, k) => {
      const bins = (settings.maxFreqDeviation * f) / (sampleRate / this.blockSamples / 2);
      const g = Math.abs(Math.sin(Math.PI * bins) / (n20 * Math.sin((Math.PI * bins) / n20)));
      this.maxBoost[k] = 1 / (g * g * this.decimGain[k]! * this.decimGain[k]!);
    });
    // Half a dB of measuring error: a twist of exactly maxTwistDb is accepted.
    this.maxTwistDb = settings.maxTwistDb + 0.5;
    this.hitsNeeded = Math.max(1, Math.floor((settings.minToneMs - 30) / 10) + 1);
    // A pause of minPauseMs makes at least that many 10 ms windows miss (partial windows miss too);
    // a 10 ms break inside a tone makes at most three.
    this.missesNeeded = Math.max(1, Math.floor(settings.minPauseMs / 10));
  }

  /**
   * One 10 ms block, `b[off ..]`. `meanSquare` is its energy per sample and `peak` its largest
   * |sample| (from the level pass); `start` the leg's sample index of its first sample.
   */
  block(b: Int16Array, off: number, meanSquare: number, peak: number, start: number): void {
    const slot = (this.cur = 1 - this.cur);
    this.blockMs[slot] = meanSquare;
    // Both tones at their minimum make twice the minimum: anything quieter is no key. Two sines
    // peak at most at twice their RMS (crest 2): a peakier block (most speech) is no key either.
    this.valid[slot] = meanSquare >= 2 * this.minToneMs && peak * peak <= MAX_CREST_SQ * meanSquare;
    if (this.valid[slot]) this.measure(b, off, slot);
    const prev = 1 - slot;
    const key = this.valid[slot] && this.valid[prev] ? this.judge(prev, slot) : null;
    this.track(key, start - this.blockSamples, start + this.blockSamples);
  }

  /** Ends a digit still held at the end of the audio. */
  flush(): void {
    if (this.active !== null) this.sink(this.active, this.activeStart, this.activeEnd);
    this.active = null;
    this.candidate = null;
  }

  private measure(b: Int16Array, off: number, slot: number): void {
    const x = this.x[slot]!;
    const m = this.m;
    for (let i = 0, j = off; i < m; i++, j += DECIMATE) x[i] = b[j]! + b[j + 1]! + b[j + 2]! + b[j + 3]!;
    const re = this.re[slot]!;
    const im = this.im[slot]!;
    for (let k = 0; k < 8; k++) {
      const c = this.coef[k]!;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < m; i++) {
        const s0 = x[i]! + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      re[k] = s1 - s2 * this.cosW[k]!;
      im[k] = s2 * this.sinW[k]!;
    }
  }

  /** |DFT|² of frequency k over the 20 ms of blocks a then b. */
  private power20(k: number, a: number, b: number): number {
    const rb = this.re[b]![k]!;
    const ib = this.im[b]![k]!;
    const r = this.re[a]![k]! + rb * this.rotRe[k]! - ib * this.rotIm[k]!;
    const i = this.im[a]![k]! + rb * this.rotIm[k]! + ib * this.rotRe[k]!;
    return r * r + i * i;
  }

  /** The key two consecutive measured blocks show, or null. */
  private judge(a: number, b: number): string | null {
    let row = 0;
    let col = 4;
    let rowP = this.power20(0, a, b);
    let colP = this.power20(4, a, b);
    for (let k = 1; k < 4; k++) {
      const p = this.power20(k, a, b);
      if (p > rowP) {
        row = k;
        rowP = p;
      }
    }
    for (let k = 5; k < 8; k++) {
      const p = this.power20(k, a, b);
      if (p > colP) {
        col = k;
        colP = p;
      }
    }
    const total = (this.blockMs[a]! + this.blockMs[b]!) / 2;
    // Cheap bound first (most speech ends here): even with the largest frequency correction the
    // two tones cannot make up the required share of the energy.
    const bound = (rowP * this.maxBoost[row]! + colP * this.maxBoost[col]!) * this.powerToMs;
    if (bound < this.settings.minPurity * total) return null;
    const msRow = this.toneMeanSquare(row, rowP, a, b);
    if (msRow < this.minToneMs) return null;
    const msCol = this.toneMeanSquare(col, colP, a, b);
    if (msCol < this.minToneMs) return null;
    if (Math.abs(10 * Math.log10(msCol / msRow)) > this.maxTwistDb) return null;
    if ((msRow + msCol) / total < this.settings.minPurity) return null;
    return dtmfKey(row, col - 4);
  }

  /**
   * Mean square of the tone near FREQS[k] over the window, from its 20 ms power corrected for its
   * true frequency; -1 when that frequency is off by more than allowed or the tone is not steady.
   */
  private toneMeanSquare(k: number, p20: number, a: number, b: number): number {
    this.hannGoertzel(k, a);
    const ra = this.hRe;
    const ia = this.hIm;
    this.hannGoertzel(k, b);
    const rb = this.hRe;
    const ib = this.hIm;
    const pa = ra * ra + ia * ia;
    const pb = rb * rb + ib * ib;
    // Steady: the same tone in both halves (a window half in a tone is not a hit).
    if (pa > 2 * pb || pb > 2 * pa) return -1;
    // X_b · conj(X_a): its angle is the tone's true phase advance over one block.
    const cr = rb * ra + ib * ia;
    const ci = ib * ra - rb * ia;
    let d = Math.atan2(ci, cr) - this.advance[k]!;
    d -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
    const offsetHz = (d / (2 * Math.PI)) * this.binHz;
    if (Math.abs(offsetHz) > this.settings.maxFreqDeviation * FREQS[k]!) return -1;
    const n = 2 * this.m;
    const bins = (offsetHz * n) / (this.m * this.binHz); // in bins of the 20 ms DFT
    const g = Math.abs(bins) < 1e-9 ? 1 : Math.abs(Math.sin(Math.PI * bins) / (n * Math.sin((Math.PI * bins) / n)));
    const amp = (2 * Math.sqrt(p20)) / (n * g * this.decimGain[k]!);
    return (amp * amp) / 2;
  }

  /** Hann-windowed Goertzel of frequency k over a block's decimated samples, into hRe/hIm. */
  private hannGoertzel(k: number, slot: number): void {
    const x = this.x[slot]!;
    const c = this.coef[k]!;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < this.m; i++) {
      const s0 = x[i]! * this.hann[i]! + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    this.hRe = s1 - s2 * this.cosW[k]!;
    this.hIm = s2 * this.sinW[k]!;
  }

  private track(key: string | null, windowStart: number, windowEnd: number): void {
    if (this.active !== null) {
      if (key === this.active) {
        this.misses = 0;
        this.activeEnd = windowEnd;
        return;
      }
      if (++this.misses < this.missesNeeded) return;
      this.sink(this.active, this.activeStart, this.activeEnd);
      this.active = null;
      this.candidate = null;
    }
    if (key === null) {
      this.candidate = null;
      return;
    }
    if (key === this.candidate) this.candidateHits++;
    else {
      this.candidate = key;
      this.candidateStart = windowStart;
      this.candidateHits = 1;
    }
    if (this.candidateHits >= this.hitsNeeded) {
      this.active = key;
      this.activeStart = this.candidateStart;
      this.activeEnd = windowEnd;
      this.misses = 0;
      this.candidate = null;
    }
  }
}

import type { DetectorSettings } from './detector-settings.ts';
import { dbfsToMeanSquare, meanSquareToDbfs } from './detector-settings.ts';
import { DtmfDetector } from './dtmf-detector.ts';
import { ToneDetector } from './tone-detector.ts';

/** A finding of one leg, in samples of that leg; the call analyzer turns it into a Finding. */
export interface LegFinding {
  kind: 'clipping' | 'dropout' | 'dtmf' | 'tone';
  start: number;
  end: number;
  digit?: string;
  hz?: number;
  clippedSamples?: number;
}

/** What a leg hands to the call level after each 10 ms block. */
export type LegBlockSink = (meanSquare: number, envelope: Float64Array) => void;

const CLIP_HIGH = 32766;
const CLIP_LOW = -32767;

/**
 * The per-leg detectors on one stream of 16-bit samples: levels, clipping, dropouts, DTMF and
 * tone. Audio is cut into 10 ms blocks (a partial block waits in a 10 ms buffer); each block gets
 * one tight pass for energy, envelope, extremes and zeros; the zero-run, clipping and zero-crossing
 * passes run only on blocks that can hold what they look for; then the block-level detectors. Memory is fixed by the settings, whatever the stream's length.
 */
export class LegAnalyzer {
  readonly blockSamples: number;
  private readonly s: DetectorSettings;
  private readonly onFinding: (f: LegFinding) => void;
  /** After each 10 ms block: its mean square and RMS envelope (one value per `echo.envelopeMs`; reused, copy it). */
  private readonly onBlock: LegBlockSink;
  private readonly buf: Int16Array;
  private fill = 0;
  /** Samples fully processed (the leg's clock). */
  pos = 0;
  private readonly envLen: number;
  private readonly envelope: Float64Array;
  private readonly dtmf: DtmfDetector;
  private readonly tone: ToneDetector;
  private prevSample = 0;
  // Summary.
  private peak = 0;
  private sumSquares = 0;
  private blocks = 0;
  private speechBlocks = 0;
  private readonly speechMs: number;
  /** Blocks with peak² above this × mean square cannot be a tone: no zero crossings needed. */
  private readonly crestSq: number;
  private readonly silenceMs: number;
  // Clipping: the current run and the finding being merged.
  private clipRun = 0;
  private readonly clipMinRun: number;
  private readonly clipMerge: number;
  private clipStart = -1;
  private clipEnd = 0;
  private clipCount = 0;
  // Dropouts: the current zero run, candidates waiting for audio after them, the last audio before.
  private zeroRun = 0;
  private readonly zeroMin: number;
  private readonly zeroMax: number;
  private readonly context: number;
  private lastAudioEnd = -Infinity;
  private readonly pending: { start: number; end: number }[] = [];

  constructor(settings: DetectorSettings, onFinding: (f: LegFinding) => void, onBlock: LegBlockSink) {
    this.s = settings;
    this.onFinding = onFinding;
    this.onBlock = onBlock;
    const sr = settings.sampleRate;
    this.blockSamples = Math.round(sr / 100);
    this.buf = new Int16Array(this.blockSamples);
    this.envLen = Math.round((sr * settings.echo.envelopeMs) / 1000);
    if (this.envLen < 1 || this.blockSamples % this.envLen !== 0) throw new RangeError(`echo.envelopeMs must divide 10 ms (got ${settings.echo.envelopeMs}).`);
    this.envelope = new Float64Array(this.blockSamples / this.envLen);
    this.speechMs = dbfsToMeanSquare(settings.levels.speechDbfs);
    this.silenceMs = dbfsToMeanSquare(settings.levels.silenceDbfs);
    this.crestSq = settings.tone.maxCrest * settings.tone.maxCrest;
    this.clipMinRun = settings.clipping.minRun;
    this.clipMerge = Math.round((sr * settings.clipping.mergeMs) / 1000);
    this.zeroMin = Math.round((sr * settings.dropout.minMs) / 1000);
    this.zeroMax = Math.round((sr * settings.dropout.maxMs) / 1000);
    this.context = Math.round((sr * settings.dropout.contextMs) / 1000);
    this.dtmf = new DtmfDetector(settings.dtmf, sr, (digit, start, end) => this.onFinding({ kind: 'dtmf', start, end, digit }));
    this.tone = new ToneDetector(settings.tone, sr, settings.levels.silenceDbfs, (hz, start, end) => this.onFinding({ kind: 'tone', start, end, hz }));
  }

  /** Samples in arrival order. */
  push(samples: Int16Array): void {
    const bs = this.blockSamples;
    let i = 0;
    if (this.fill > 0) {
      const take = Math.min(bs - this.fill, samples.length);
      this.buf.set(samples.subarray(0, take), this.fill);
      this.fill += take;
      i = take;
      if (this.fill < bs) return;
      this.block(this.buf, 0);
      this.fill = 0;
    }
    for (; i + bs <= samples.length; i += bs) this.block(samples, i);
    if (i < samples.length) {
      this.buf.set(samples.subarray(i), 0);
      this.fill = samples.length - i;
    }
  }

  /** Digital silence (a leg that sent nothing), in whole blocks. */
  pushSilence(count: number): void {
    // These zeros stand for frames that never came, not for zeros Asterisk sent: no dropout may
    // start in them, and the audio before them no longer vouches for a run after them.
    this.lastAudioEnd = -Infinity;
    const zeros = new Int16Array(Math.min(count, 16_000));
    for (let left = count; left > 0; left -= zeros.length) this.push(left >= zeros.length ? zeros : zeros.subarray(0, left));
    this.lastAudioEnd = -Infinity;
  }

  /** Samples pushed, processed or waiting for their block to fill. */
  get samples(): number {
    return this.pos + this.fill;
  }

  /** Ends what is open at the end of the audio (a partial last block is not judged). */
  finish(): void {
    this.dtmf.flush();
    this.tone.flush();
    this.emitClipping();
    this.pending.length = 0;
  }

  summary(leg: number): { leg: number; peakDbfs: number; rmsDbfs: number; activeRatio: number } {
    const round1 = (v: number): number => Math.round(v * 10) / 10;
    return {
      leg,
      peakDbfs: round1(this.peak === 0 ? -120 : Math.max(-120, 20 * Math.log10(this.peak / 32768))),
      rmsDbfs: round1(meanSquareToDbfs(this.pos === 0 ? 0 : this.sumSquares / this.pos)),
      activeRatio: this.blocks === 0 ? 0 : Math.round((this.speechBlocks / this.blocks) * 1000) / 1000,
    };
  }

  /** One 10 ms block: `b[off .. off + blockSamples)`. */
  private block(b: Int16Array, off: number): void {
    const start = this.pos;
    const n = this.blockSamples;
    const env = this.envelope;
    const envLen = this.envLen;
    // The one pass every sample gets: energy (per envelope step), extremes, zeros.
    let max = 0;
    let min = 0;
    let zeros = 0;
    let sum = 0;
    let idx = off;
    for (let e = 0; e < env.length; e++) {
      let sq = 0;
      for (const stop = idx + envLen; idx < stop; idx++) {
        const v = b[idx]!;
        sq += v * v;
        if (v > max) max = v;
        else if (v < min) min = v;
        zeros += v === 0 ? 1 : 0;
      }
      env[e] = Math.sqrt(sq / envLen);
      sum += sq;
    }
    const peak = Math.max(max, -min);
    const ms = sum / n;
    // The rarer passes, only on blocks that can hold what they look for.
    if (zeros === n) this.zeroRun += n;
    else if (zeros > 0 || this.zeroRun > 0) this.zeroRuns(b, off, start);
    if (max >= CLIP_HIGH || min <= CLIP_LOW) this.clipRuns(b, off, start);
    else if (this.clipRun > 0) this.clipRunEnded(start, this.clipRun);
    const tonal = ms > 0 && peak * peak <= this.crestSq * ms;
    if (tonal) this.crossings(b, off, start);
    this.prevSample = b[off + n - 1]!;
    this.pos = start + n;
    this.sumSquares += sum;
    if (peak > this.peak) this.peak = peak;
    this.blocks++;
    if (ms >= this.speechMs) this.speechBlocks++;
    if (ms > this.silenceMs) this.audioBlock(start);
    else if (this.pending.length > 0 && this.pending[0]!.end + this.context < start) this.pending.shift();
    if (this.clipStart >= 0 && this.clipRun === 0 && this.pos - this.clipEnd > this.clipMerge) this.emitClipping();
    this.dtmf.block(b, off, ms, peak, start);
    this.tone.block(sum, peak, start, n, tonal);
    this.onBlock(ms, env);
  }

  private zeroRuns(b: Int16Array, off: number, start: number): void {
    let zr = this.zeroRun;
    for (let i = 0; i < this.blockSamples; i++) {
      if (b[off + i] === 0) zr++;
      else if (zr !== 0) {
        if (zr >= this.zeroMin) this.zeroRunEnded(start + i, zr);
        zr = 0;
      }
    }
    this.zeroRun = zr;
  }

  private clipRuns(b: Int16Array, off: number, start: number): void {
    let cr = this.clipRun;
    for (let i = 0; i < this.blockSamples; i++) {
      const v = b[off + i]!;
      if (v >= CLIP_HIGH || v <= CLIP_LOW) cr++;
      else if (cr !== 0) {
        this.clipRunEnded(start + i, cr);
        cr = 0;
      }
    }
    this.clipRun = cr;
  }

  /** Upward zero crossings, at fractional sample positions, for the tone detector. */
  private crossings(b: Int16Array, off: number, start: number): void {
    let prev = this.prevSample;
    for (let i = 0; i < this.blockSamples; i++) {
      const v = b[off + i]!;
      if (prev < 0 && v >= 0) this.tone.crossing(start + i - 1 + -prev / (v - prev));
      prev = v;
    }
  }

  private clipRunEnded(end: number, run: number): void {
    this.clipRun = 0;
    if (run < this.clipMinRun) return;
    const start = end - run;
    if (this.clipStart >= 0 && start - this.clipEnd > this.clipMerge) this.emitClipping();
    if (this.clipStart < 0) this.clipStart = start;
    this.clipEnd = end;
    this.clipCount += run;
  }

  private emitClipping(): void {
    if (this.clipStart < 0) return;
    this.onFinding({ kind: 'clipping', start: this.clipStart, end: this.clipEnd, clippedSamples: this.clipCount });
    this.clipStart = -1;
    this.clipCount = 0;
  }

  private zeroRunEnded(end: number, run: number): void {
    const start = end - run;
    // Audio must have been heard just before the run (a block with sound ending near its start).
    if (run >= this.zeroMax || this.lastAudioEnd < start - this.context) return;
    if (this.pending.length >= 8) this.pending.shift();
    this.pending.push({ start, end });
  }

  /** A block with sound: it confirms the dropouts it follows closely enough. */
  private audioBlock(blockStart: number): void {
    while (this.pending.length > 0) {
      const d = this.pending[0]!;
      if (d.end > blockStart + this.blockSamples) break; // this block is before the run ended
      this.pending.shift();
      if (blockStart <= d.end + this.context) this.onFinding({ kind: 'dropout', start: d.start, end: d.end });
    }
    this.lastAudioEnd = blockStart + this.blockSamples;
  }
}

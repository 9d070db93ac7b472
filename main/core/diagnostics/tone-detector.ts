import type { DetectorSettings } from './detector-settings.ts';
import { dbfsToMeanSquare } from './detector-settings.ts';

/** Called with a steady tone's frequency and its span in samples of the leg. */
export type ToneSink = (hz: number, startSample: number, endSample: number) => void;

/**
 * One steady frequency dominating a leg (a stuck test tone, ringback or busy tone on an answered
 * call). Judged on 100 ms pieces: a piece is tonal when it is loud enough, its crest factor is
 * that of a sine (speech and noise are far peakier) and its upward zero crossings give a
 * frequency; a stretch is tonal pieces within ±2 % of the stretch's mean frequency, quiet gaps up
 * to `maxGapMs` allowed (cadences). The level pass hands over the crossings, so this costs
 * nothing per sample.
 */
export class ToneDetector {
  private readonly settings: DetectorSettings['tone'];
  private readonly sink: ToneSink;
  private readonly sampleRate: number;
  private readonly pieceSamples: number;
  private readonly minMs: number;
  private readonly quietMs: number;
  // The piece being gathered.
  private pieceStart = 0;
  private pieceSq = 0;
  private pieceN = 0;
  private piecePeak = 0;
  private pieceTonal = true;
  private crossings = 0;
  private firstCrossing = 0;
  private lastCrossing = 0;
  // The stretch.
  private start = -1;
  private end = 0;
  private sumHz = 0;
  private pieces = 0;

  constructor(settings: DetectorSettings['tone'], sampleRate: number, silenceDbfs: number, sink: ToneSink) {
    this.settings = settings;
    this.sink = sink;
    this.sampleRate = sampleRate;
    this.pieceSamples = Math.round(sampleRate / 10);
    this.minMs = dbfsToMeanSquare(settings.minDbfs);
    this.quietMs = dbfsToMeanSquare(silenceDbfs);
  }

  /** An upward zero crossing at (fractional) sample index `at`. */
  crossing(at: number): void {
    if (this.crossings === 0) this.firstCrossing = at;
    this.lastCrossing = at;
    this.crossings++;
  }

  /**
   * A block's energy and peak, `start` its first sample, `n` its length; `tonal` false when its
   * crest factor already rules a tone out (its crossings were not counted).
   */
  block(sumSquares: number, peak: number, start: number, n: number, tonal: boolean): void {
    if (this.pieceN === 0) {
      this.pieceStart = start;
      this.pieceTonal = true;
    }
    if (!tonal) this.pieceTonal = false;
    this.pieceSq += sumSquares;
    this.pieceN += n;
    if (peak > this.piecePeak) this.piecePeak = peak;
    if (this.pieceN >= this.pieceSamples) this.endPiece();
  }

  flush(): void {
    this.endStretch();
  }

  private endPiece(): void {
    const ms = this.pieceSq / this.pieceN;
    const end = this.pieceStart + this.pieceN;
    const crest = ms > 0 ? this.piecePeak / Math.sqrt(ms) : Infinity;
    const hz = this.crossings >= 3 ? ((this.crossings - 1) * this.sampleRate) / (this.lastCrossing - this.firstCrossing) : 0;
    const start = this.pieceStart;
    this.pieceSq = 0;
    this.pieceN = 0;
    this.piecePeak = 0;
    this.crossings = 0;
    if (this.pieceTonal && ms >= this.minMs && crest <= this.settings.maxCrest && hz > 0) {
      if (this.start >= 0) {
        const mean = this.sumHz / this.pieces;
        if (Math.abs(hz - mean) > this.settings.maxFreqDeviation * mean) this.endStretch();
      }
      if (this.start < 0) this.start = start;
      this.end = end;
      this.sumHz += hz;
      this.pieces++;
      return;
    }
    if (this.start < 0) return;
    const quiet = ms <= this.quietMs;
    if (!quiet || ((end - this.end) * 1000) / this.sampleRate > this.settings.maxGapMs) this.endStretch();
  }

  private endStretch(): void {
    if (this.start >= 0 && ((this.end - this.start) * 1000) / this.sampleRate >= this.settings.minMs) {
      this.sink(Math.round(this.sumHz / this.pieces), this.start, this.end);
    }
    this.start = -1;
    this.sumHz = 0;
    this.pieces = 0;
  }
}

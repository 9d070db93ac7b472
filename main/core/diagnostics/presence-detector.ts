import type { DetectorSettings } from './detector-settings.ts';
import { dbfsToMeanSquare } from './detector-settings.ts';

/** Reports of the silence and one-way detectors, in 10 ms blocks of the call's timeline. */
export interface PresenceSink {
  /** A stretch that is (so far) a finding; called about once a second while it grows. */
  progress(key: string, kind: 'silence' | 'one-way', leg: number, startBlock: number, endBlock: number): void;
  /** The stretch ended as a finding. */
  finding(key: string, kind: 'silence' | 'one-way', leg: number, startBlock: number, endBlock: number, otherLeg: number | null): void;
  /** The stretch ended without being a finding (after progress was reported). */
  dropped(key: string): void;
}

interface Stretch {
  start: number;
  /** Blocks in it where the other leg talked. */
  otherTalked: number;
  reported: boolean;
  lastProgress: number;
}

/**
 * Dead air and one-way audio, on the call's shared 10 ms blocks. Silence: a leg at or below the
 * silence level for `silence.minMs`; in a two-leg call a leg that only listened while the other
 * talked is not dead air. One-way: in a two-leg call, one leg silent for `oneWay.minMs` while the
 * other talks (it counts as talking until `speechHangMs` after its last speech block).
 */
export class PresenceDetector {
  private readonly s: DetectorSettings;
  private readonly sink: PresenceSink;
  private readonly legs: number;
  private readonly silenceMs: number;
  private readonly speechMs: number;
  private readonly silenceBlocks: number;
  private readonly oneWayBlocks: number;
  private readonly hangBlocks: number;
  private readonly silence: (Stretch | null)[];
  private readonly oneWay: (Stretch | null)[];
  private readonly lastSpeech: number[];
  private block = 0;

  constructor(settings: DetectorSettings, legs: number, sink: PresenceSink) {
    this.s = settings;
    this.sink = sink;
    this.legs = legs;
    this.silenceMs = dbfsToMeanSquare(settings.levels.silenceDbfs);
    this.speechMs = dbfsToMeanSquare(settings.levels.speechDbfs);
    this.silenceBlocks = Math.ceil(settings.silence.minMs / 10);
    this.oneWayBlocks = Math.ceil(settings.oneWay.minMs / 10);
    this.hangBlocks = Math.ceil(settings.oneWay.speechHangMs / 10);
    this.silence = Array.from({ length: legs }, () => null);
    this.oneWay = Array.from({ length: legs }, () => null);
    this.lastSpeech = Array.from({ length: legs }, () => -Infinity);
  }

  /** One block of every leg: their mean squares. */
  step(meanSquares: ArrayLike<number>): void {
    const b = this.block++;
    for (let leg = 0; leg < this.legs; leg++) if (meanSquares[leg]! >= this.speechMs) this.lastSpeech[leg] = b;
    for (let leg = 0; leg < this.legs; leg++) {
      const silent = meanSquares[leg]! <= this.silenceMs;
      const other = this.legs === 2 ? 1 - leg : -1;
      const otherTalks = other >= 0 && meanSquares[other]! >= this.speechMs;
      const otherTalking = other >= 0 && b - this.lastSpeech[other]! <= this.hangBlocks;
      this.silence[leg] = this.advance('silence', leg, this.silence[leg]!, silent, otherTalks, b);
      if (other >= 0) this.oneWay[leg] = this.advance('one-way', leg, this.oneWay[leg]!, silent && otherTalking, otherTalks, b);
    }
  }

  /** Ends every stretch at the end of the audio. */
  finish(): void {
    for (let leg = 0; leg < this.legs; leg++) {
      this.silence[leg] = this.advance('silence', leg, this.silence[leg]!, false, false, this.block);
      this.oneWay[leg] = this.advance('one-way', leg, this.oneWay[leg]!, false, false, this.block);
    }
  }

  private qualifies(kind: 'silence' | 'one-way', st: Stretch, end: number): boolean {
    const len = end - st.start;
    if (kind === 'one-way') return len >= this.oneWayBlocks;
    if (len < this.silenceBlocks) return false;
    return this.legs !== 2 || st.otherTalked / len < this.s.silence.skipWhenOtherTalksRatio;
  }

  private advance(kind: 'silence' | 'one-way', leg: number, st: Stretch | null, on: boolean, otherTalks: boolean, b: number): Stretch | null {
    if (on) {
      const cur = st ?? { start: b, otherTalked: 0, reported: false, lastProgress: 0 };
      if (otherTalks) cur.otherTalked++;
      const end = b + 1;
      if (end - cur.lastProgress >= 100 && this.qualifies(kind, cur, end)) {
        cur.reported = true;
        cur.lastProgress = end;
        this.sink.progress(`${kind}:${leg}`, kind, leg, cur.start, end);
      } else if (cur.reported && !this.qualifies(kind, cur, end)) {
        cur.reported = false;
        this.sink.dropped(`${kind}:${leg}`);
      }
      return cur;
    }
    if (st) {
      const key = `${kind}:${leg}`;
      if (this.qualifies(kind, st, b)) this.sink.finding(key, kind, leg, st.start, b, this.legs === 2 ? 1 - leg : null);
      else if (st.reported) this.sink.dropped(key);
    }
    return null;
  }
}

import type { Finding, FindingKind, FindingProgress, FindingSeverity, LegSummary } from '../../../preload/contract.ts';
import type { Disposable } from '../common/disposable.ts';
import { TypedEmitter } from '../common/typed-emitter.ts';
import { type DetectorSettings, type DetectorSettingsPatch, resolveSettings } from './detector-settings.ts';
import { EchoDetector } from './echo-detector.ts';
import { type LegFinding, LegAnalyzer } from './leg-analyzer.ts';
import { PresenceDetector } from './presence-detector.ts';

export interface CallAnalyzerEvents {
  /** A finished finding (a stretch that ended, a digit, a clipping burst …). */
  finding: (finding: Finding) => void;
  /** A silence or one-way stretch still growing, or `done` when it will not become a finding. */
  progress: (progress: FindingProgress) => void;
}

export interface CallAnalyzerOptions {
  /** 1 for a one-channel tap or a mono file, 2 for a call (leg 0 left / A, leg 1 right / B). */
  legs: 1 | 2;
  settings?: DetectorSettingsPatch;
}

/**
 * A leg whose audio arrives this much later than the clock says has had a gap (no frames: hold, a
 * stopped stream), which becomes digital silence. Shorter lateness is network jitter, not a gap:
 * placing it by the clock would invent dropouts on a busy network.
 */
const RESYNC_MS = 1000;
/** The call level waits this long for a leg that sends nothing before taking it as digital silence. */
const WAIT_MS = 1000;
/**
 * Arrival stamps have jitter: the chunk that placed a leg may have been stamped late, putting the
 * leg late on the timeline. The earliest chunk of the next seconds shows by how much, and the
 * echo delay (measured between legs) is corrected by it.
 */
const SKEW_LEARN_S = 30;
/** Blocks one leg may run ahead of the other before the other is taken as silent (bounds memory offline). */
const MAX_SKEW_BLOCKS = 100;

const SEVERITY: Record<FindingKind, FindingSeverity> = {
  silence: 'warning',
  'one-way': 'error',
  clipping: 'warning',
  dropout: 'warning',
  echo: 'warning',
  dtmf: 'info',
  tone: 'warning',
};

/**
 * The call-health detectors on one tap or one recording: silence, one-way, clipping, dropout,
 * echo, DTMF and tone, streaming with memory fixed by the settings (not by the stream's length).
 * The same object runs live (a stage of the tap session: `pushBytes(leg, chunk.data,
 * chunk.wallClockMs)` per chunk, `finish()` when the tap ends, `dispose()`) and offline (`push`
 * per leg in file order, then `finish()`).
 *
 * Times: every leg shares one timeline, in seconds from the first audio. With arrival times, a
 * leg that stops sending for a second or more (hold, a one-way call where one side sends no
 * frames) becomes digital silence there; shorter lateness is taken as jitter. Without arrival times, each leg's samples follow on from its last; feed the legs in
 * turns of under a second each (a leg more than 1 s ahead makes the other silent up to it, which
 * keeps memory bounded).
 */
export class CallAnalyzer implements Disposable {
  readonly events = new TypedEmitter<CallAnalyzerEvents>();
  readonly settings: DetectorSettings;
  private readonly legCount: number;
  private readonly legs: LegAnalyzer[];
  /** Block features waiting for the other leg (the call level runs in step): fixed rings. */
  private readonly queues: BlockQueue[];
  private readonly stepMs: Float64Array;
  private readonly presence: PresenceDetector;
  private readonly echo: EchoDetector | undefined;
  private readonly blockS: number;
  private readonly envS: number;
  private nextId = 1;
  private readonly progressIds = new Map<string, { id: number; start: number }>();
  private t0: number | undefined;
  private readonly placed: boolean[] = [];
  /** Per leg, where it was last placed by the clock, and the earliest any chunk came since (samples, ≤ 0). */
  private readonly placedAt: number[] = [0, 0];
  private readonly earliest: number[] = [0, 0];
  private finished = false;
  private scratch = new Int16Array(0);

  constructor(opts: CallAnalyzerOptions) {
    this.settings = resolveSettings(opts.settings);
    this.legCount = opts.legs;
    this.blockS = 0.01;
    this.envS = this.settings.echo.envelopeMs / 1000;
    const envPerBlock = Math.round(10 / this.settings.echo.envelopeMs);
    this.queues = Array.from({ length: opts.legs }, () => new BlockQueue(MAX_SKEW_BLOCKS + 2, envPerBlock));
    this.stepMs = new Float64Array(opts.legs);
    this.legs = Array.from({ length: opts.legs }, (_, leg) =>
      new LegAnalyzer(
        this.settings,
        (f) => this.legFinding(leg, f),
        (ms, env) => this.legBlock(leg, ms, env),
      ),
    );
    this.presence = new PresenceDetector(this.settings, opts.legs, {
      progress: (key, kind, leg, start, end) => this.emitProgress(key, kind, leg, start, end, false),
      dropped: (key) => {
        const p = this.progressIds.get(key);
        if (p) this.emitProgress(key, key.startsWith('one-way') ? 'one-way' : 'silence', Number(key.split(':')[1]), p.start, p.start, true);
      },
      finding: (key, kind, leg, start, end, other) => {
        const id = this.progressIds.get(key)?.id;
        this.progressIds.delete(key);
        const secs = ((end - start) * this.blockS).toFixed(1);
        const message =
          kind === 'one-way'
            ? `One-way audio: leg ${leg} was silent for ${secs} s while leg ${other} talked (the other party hears nothing from leg ${leg}).`
            : `Silence: leg ${leg} carried no sound (below ${this.settings.levels.silenceDbfs} dBFS) for ${secs} s.`;
        this.emit(kind, leg, start * this.blockS, end * this.blockS, message, {}, id);
      },
    });
    if (opts.legs === 2) {
      this.echo = new EchoDetector(this.settings.echo, this.settings.levels.speechDbfs, (leg, start, end, delayMs, lossDb) => {
        // Leg y placed e_y late and x e_x late: the true delay is the measured one - e_y + e_x.
        const d = Math.round(delayMs + (this.earliest[leg]! - this.earliest[1 - leg]!) / (this.settings.sampleRate / 1000));
        const l = Math.round(lossDb * 10) / 10;
        this.emit('echo', leg, start * this.envS, end * this.envS, `Echo: leg ${leg} carries leg ${1 - leg}'s speech ${d} ms later, ${l} dB weaker.`, { delayMs: d, lossDb: l });
      });
    }
  }

  /**
   * Samples of one leg. `wallClockMs` (arrival time of the chunk's end, as the transports stamp
   * it) places them on the call's timeline; without it they follow the leg's previous samples.
   */
  push(leg: number, samples: Int16Array, wallClockMs?: number): void {
    if (this.finished) return;
    const l = this.legs[leg];
    if (!l) throw new RangeError(`leg ${leg} is not 0..${this.legCount - 1}`);
    if (wallClockMs !== undefined) this.placeByClock(leg, samples.length, wallClockMs);
    l.push(samples);
  }

  /** Little-endian 16-bit bytes of one leg (a tap's chunk), copied only when not 2-byte aligned. */
  pushBytes(leg: number, bytes: Uint8Array, wallClockMs?: number): void {
    const n = bytes.byteLength >> 1;
    let samples: Int16Array;
    if (bytes.byteOffset % 2 === 0) samples = new Int16Array(bytes.buffer, bytes.byteOffset, n);
    else {
      if (this.scratch.length < n) this.scratch = new Int16Array(n);
      new Uint8Array(this.scratch.buffer, 0, n * 2).set(bytes.subarray(0, n * 2));
      samples = this.scratch.subarray(0, n);
    }
    this.push(leg, samples, wallClockMs);
  }

  /** Ends every open stretch (the tap ended, the file is read); later pushes are ignored. */
  finish(): void {
    if (this.finished) return;
    // Legs end together: the shorter ones are silent up to the longest.
    const longest = Math.max(...this.legs.map((l) => l.pos));
    this.legs.forEach((l) => {
      if (l.pos < longest) l.pushSilence(longest - l.pos);
    });
    this.finished = true;
    for (const l of this.legs) l.finish();
    this.presence.finish();
    this.echo?.finish();
  }

  /** Per-leg levels over everything analysed so far. */
  summary(): LegSummary[] {
    return this.legs.map((l, i) => l.summary(i));
  }

  /** Seconds of audio analysed (the longest leg). */
  get durationS(): number {
    return Math.max(...this.legs.map((l) => l.samples)) / this.settings.sampleRate;
  }

  dispose(): void {
    this.finished = true;
    this.progressIds.clear();
  }

  private placeByClock(leg: number, n: number, wallClockMs: number): void {
    const sr = this.settings.sampleRate / 1000;
    if (this.t0 === undefined) this.t0 = wallClockMs - n / sr;
    const l = this.legs[leg]!;
    const byClock = Math.round((wallClockMs - this.t0) * sr) - n;
    // A leg's first audio is placed where the clock says (legs start at different moments, and
    // echo delays are measured between them); after that, only a real gap moves it.
    const lateBy = byClock - l.samples;
    if (lateBy > 0 && (!this.placed[leg] || lateBy > RESYNC_MS * sr)) {
      l.pushSilence(lateBy);
      this.placedAt[leg] = l.samples;
      this.earliest[leg] = 0;
    } else if (l.samples - this.placedAt[leg]! < SKEW_LEARN_S * this.settings.sampleRate) {
      // A chunk earlier than its place says the placing chunk was stamped late: remember by how much.
      this.earliest[leg] = Math.min(this.earliest[leg]!, lateBy);
    }
    this.placed[leg] = true;
    // A leg that sends nothing is silent up to the clock minus a wait.
    const due = Math.round((wallClockMs - this.t0 - WAIT_MS) * sr);
    this.legs.forEach((other, i) => {
      if (i !== leg && other.samples < due) other.pushSilence(due - other.samples);
    });
  }

  private legBlock(leg: number, meanSquare: number, envelope: Float64Array): void {
    if (this.legCount === 1) {
      this.stepMs[0] = meanSquare;
      this.presence.step(this.stepMs);
      return;
    }
    const q = this.queues[leg]!;
    if (q.count >= MAX_SKEW_BLOCKS) {
      // Offline, a leg far ahead makes the other silent up to it: memory stays bounded.
      const other = this.legs[1 - leg]!;
      other.pushSilence(this.legs[leg]!.pos - other.samples);
    }
    q.push(meanSquare, envelope);
    const [q0, q1] = this.queues as [BlockQueue, BlockQueue];
    while (q0.count > 0 && q1.count > 0) {
      this.stepMs[0] = q0.meanSquare();
      this.stepMs[1] = q1.meanSquare();
      this.presence.step(this.stepMs);
      const e0 = q0.envelope;
      const e1 = q1.envelope;
      const o0 = q0.envelopeOffset();
      const o1 = q1.envelopeOffset();
      this.echo!.steps(e0, o0, e1, o1, q0.envPerBlock);
      q0.shift();
      q1.shift();
    }
  }

  private legFinding(leg: number, f: LegFinding): void {
    const sr = this.settings.sampleRate;
    const startS = f.start / sr;
    const endS = f.end / sr;
    const ms = Math.round((f.end - f.start) / (sr / 1000));
    switch (f.kind) {
      case 'clipping':
        this.emit('clipping', leg, startS, endS, `Clipping: ${f.clippedSamples} samples at full scale on leg ${leg} over ${(endS - startS).toFixed(1)} s (the input is too loud).`, { clippedSamples: f.clippedSamples! });
        break;
      case 'dropout':
        this.emit('dropout', leg, startS, endS, `Dropout: ${ms} ms of digital silence inside audio on leg ${leg} (lost packets concealed with zeros).`, {});
        break;
      case 'dtmf':
        this.emit('dtmf', leg, startS, endS, `In-band DTMF digit ${f.digit} on leg ${leg} (${ms} ms).`, { digit: f.digit! });
        break;
      case 'tone':
        this.emit('tone', leg, startS, endS, `Steady ${f.hz} Hz tone on leg ${leg} for ${(endS - startS).toFixed(1)} s (a stuck tone, ringback or busy tone on an answered call?).`, { hz: f.hz! });
        break;
    }
  }

  private emit(kind: FindingKind, leg: number | null, startS: number, endS: number, message: string, extra: Partial<Finding>, id?: number): void {
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    const finding: Finding = { id: id ?? this.nextId++, kind, leg, startS: round(startS), endS: round(endS), severity: SEVERITY[kind], message, ...extra };
    if (this.t0 !== undefined) finding.startWallMs = Math.round(this.t0 + startS * 1000);
    this.events.emit('finding', finding);
  }

  private emitProgress(key: string, kind: 'silence' | 'one-way', leg: number, start: number, end: number, done: boolean): void {
    let p = this.progressIds.get(key);
    if (!p) {
      p = { id: this.nextId++, start };
      this.progressIds.set(key, p);
    }
    if (done) this.progressIds.delete(key);
    const progress: FindingProgress = { id: p.id, kind, leg, startS: start * this.blockS, endS: end * this.blockS, done };
    if (this.t0 !== undefined) progress.startWallMs = Math.round(this.t0 + start * this.blockS * 1000);
    this.events.emit('progress', progress);
  }
}

/** A fixed ring of block features (mean square and envelope) of one leg. */
class BlockQueue {
  readonly envPerBlock: number;
  readonly envelope: Float64Array;
  private readonly ms: Float64Array;
  private head = 0;
  count = 0;

  constructor(capacity: number, envPerBlock: number) {
    this.envPerBlock = envPerBlock;
    this.ms = new Float64Array(capacity);
    this.envelope = new Float64Array(capacity * envPerBlock);
  }

  push(meanSquare: number, envelope: Float64Array): void {
    if (this.count === this.ms.length) throw new RangeError('block queue overflow');
    const i = (this.head + this.count) % this.ms.length;
    this.ms[i] = meanSquare;
    this.envelope.set(envelope, i * this.envPerBlock);
    this.count++;
  }

  meanSquare(): number {
    return this.ms[this.head]!;
  }

  envelopeOffset(): number {
    return this.head * this.envPerBlock;
  }

  shift(): void {
    this.head = (this.head + 1) % this.ms.length;
    this.count--;
  }
}

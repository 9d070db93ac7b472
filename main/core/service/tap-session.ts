import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LegView, RecordMode, RecordingView, TapStatsView, TapView } from '../../../preload/contract.ts';
import { StereoRecorder } from '../tap/stereo-recorder.ts';
import { loadPeaks } from '../audio/wav-peaks.ts';
import type { WavWriterResult } from '../audio/wav-writer.ts';
import type { Disposable } from '../common/disposable.ts';
import { TypedEmitter } from '../common/typed-emitter.ts';
import { measureLevels } from '../audio/levels.ts';
import type { TapOutcome } from '../tap/stream-channel-client.ts';
import type { TapTransport } from '../tap/tap-transport.ts';
import { TapRecorder } from '../tap/tap-recorder.ts';
import { PcmRing } from '../audio/pcm-ring.ts';
import type { WavWriter } from '../audio/wav-writer.ts';
import { writeReplayFile } from './replay-file.ts';
import { SLIN16, byteRate } from '../audio/wav-format.ts';
import { CodedError } from '../common/coded-error.ts';
import { fileStamp, recordingFileName } from '../common/file-names.ts';
import { TapFindings } from './tap-findings.ts';
import { writeMarkers } from './review-markers.ts';

/** How much audio each leg keeps for instant replay. */
export const REPLAY_SECONDS = 120;

/** At most one PCM message per tap per this period. */
const BATCH_MS = 20;

/** Pending audio of one leg between two batches. */
interface Leg {
  client: TapTransport;
  direction: 'in' | 'out';
  outcome: TapOutcome | undefined;
  pending: Buffer[];
  pendingFirstWallMs: number;
  peak: number;
  rms: number;
  recorder: TapRecorder | undefined;
  lastFlushAt: number;
  flushTimer: NodeJS.Timeout | undefined;
  /** The last REPLAY_SECONDS of audio, for "save last 30 s" even when not recording. */
  replay: PcmRing;
}

export interface TapSessionEvents {
  changed: () => void;
  /** A batch of PCM for the data plane. */
  pcm: (leg: number, wallClockMs: number, data: Buffer) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface TapSessionOptions {
  id: string;
  number: number;
  endpointId: string;
  endpointName: string;
  title: string;
  /** One per leg, created but not connected. */
  legs: { transport: TapTransport; direction: 'in' | 'out' }[];
  /** Read at each recording: the folder can change while a tap is open. */
  recordingsDir: () => string;
}

/**
 * A tap as the workbench knows it: one or more legs opened together, their PCM batched for the
 * UI, levels, recording per leg. Stopping detaches and drains (never closes a stream-channel
 * socket while the call is up).
 */
export class TapSession implements Disposable {
  readonly events = new TypedEmitter<TapSessionEvents>();
  readonly id: string;
  readonly number: number;
  /** Findings (detectors, network) and network figures, for the recording's sidecar. */
  readonly findings = new TapFindings();
  private readonly opts: TapSessionOptions;
  private readonly legs: Leg[];
  private detached = false;
  private markers: { atMs: number; label: string }[] = [];
  private recordStartedAt = 0;
  private recordMode: RecordMode = 'legs';
  /** The stereo file of a two-leg call ("Record call"). */
  private callRecorder: StereoRecorder | undefined;
  private recordingError: string | null = null;

  constructor(opts: TapSessionOptions) {
    this.opts = opts;
    this.id = opts.id;
    this.number = opts.number;
    this.legs = opts.legs.map(({ transport: client, direction }, index) => {
      const o = { channel: client.channel };
      const leg: Leg = { client, direction, outcome: undefined, pending: [], pendingFirstWallMs: 0, peak: -120, rms: -120, recorder: undefined, lastFlushAt: -Infinity, flushTimer: undefined, replay: new PcmRing(REPLAY_SECONDS * byteRate(SLIN16)) };
      client.events.on('state', () => this.events.emit('changed'));
      // ari-media reports DTMF digits: they become markers, as a person pressing M would make.
      client.events.on('dtmf', (digit) => this.mark(`DTMF ${digit}`));
      client.events.on('pcm', (chunk) => {
        if (leg.pending.length === 0) leg.pendingFirstWallMs = chunk.wallClockMs;
        leg.pending.push(chunk.data);
        leg.replay.push(chunk.data);
        this.scheduleFlush(index, chunk.monotonicMs);
      });
      client.events.on('outcome', (outcome) => {
        leg.outcome = outcome;
        this.events.emit('log', outcome.state === 'failed' ? 'error' : 'info', `${o.channel}: ${outcome.message}`);
        void this.finishLegRecording(index).then(() => this.events.emit('changed'));
        // The call's stereo file ends with the call: when no leg is left to arrive.
        if (this.legs.every((l) => l.outcome)) void this.finishCallRecording().then(() => this.events.emit('changed'));
      });
      return leg;
    });
  }

  start(): void {
    for (const leg of this.legs) leg.client.connect();
  }

  /** True while any socket is still open (including detached, draining ones). */
  get hasOpenSockets(): boolean {
    return this.legs.some((l) => l.client.isSocketOpen || (l.outcome === undefined && l.client.state === 'connecting'));
  }
  get isDetached(): boolean {
    return this.detached;
  }
  /** Resolves when every socket has closed. */
  get allClosed(): Promise<void> {
    return Promise.all(this.legs.map((l) => l.client.socketClosed)).then(() => undefined);
  }

  /**
   * Leading-edge batching per leg: a frame goes out at once when nothing was sent for its leg in
   * the last 20 ms (Asterisk's steady 20 ms pace adds no delay); a burst goes as one batch 20 ms
   * after the previous one, so the UI gets at most 50 messages a second per leg.
   */
  private scheduleFlush(index: number, nowMs: number): void {
    const leg = this.legs[index]!;
    if (leg.flushTimer) return;
    const wait = BATCH_MS - (nowMs - leg.lastFlushAt);
    if (wait <= 0) this.flushLeg(index);
    else leg.flushTimer = setTimeout(() => this.flushLeg(index), wait);
  }

  /** Sends what arrived for a leg since its last batch. */
  private flushLeg(index: number): void {
    const leg = this.legs[index]!;
    if (leg.flushTimer) clearTimeout(leg.flushTimer);
    leg.flushTimer = undefined;
    leg.lastFlushAt = performance.now();
    if (leg.pending.length === 0) return;
    const data = leg.pending.length === 1 ? leg.pending[0]! : Buffer.concat(leg.pending);
    leg.pending = [];
    const levels = measureLevels(data);
    // Meters fall back slowly (about 20 dB per second), as meters do; they rise at once.
    const elapsedFrames = Math.max(1, data.length / 640);
    leg.peak = Math.max(levels.peakDbfs, leg.peak - 0.4 * elapsedFrames);
    leg.rms = levels.rmsDbfs;
    if (!this.detached) this.events.emit('pcm', index, leg.pendingFirstWallMs, data);
  }

  stats(): TapStatsView[] {
    return this.legs.map((l) => {
      const s = l.client.stats;
      return { frames: s.frames, bytes: s.bytes, gaps: s.gaps, drops: s.drops, peakDbfs: Math.round(l.peak * 10) / 10, rmsDbfs: Math.round(l.rms * 10) / 10 };
    });
  }

  private writers(): WavWriter[] {
    return [...(this.callRecorder ? [this.callRecorder.writer] : []), ...this.legs.flatMap((l) => (l.recorder ? [l.recorder.writer] : []))];
  }
  get recordingMs(): number | null {
    const w = this.writers()[0];
    return w ? w.durationMs : null;
  }
  get recordingBytes(): number | null {
    const ws = this.writers();
    return ws.length === 0 ? null : ws.reduce((s, w) => s + w.dataBytes, 0);
  }

  view(): TapView {
    const legs: LegView[] = this.legs.map((l, index) => ({
      index,
      channel: l.client.channel,
      transport: l.client.kind,
      direction: l.direction,
      state: l.client.state,
      reason: l.outcome?.reason ?? null,
      message: l.outcome?.message ?? null,
    }));
    const ws = this.writers();
    const recording = ws.length > 0 ? ws.map((w) => ({ path: w.path, bytes: w.dataBytes, durationMs: w.durationMs })) : null;
    return { id: this.id, number: this.number, endpointId: this.opts.endpointId, title: this.opts.title, legs, recording, recordMode: this.recordMode, recordingError: this.recordingError, detached: this.detached };
  }

  async setRecording(on: boolean, mode: RecordMode = this.recordMode): Promise<void> {
    if (on) {
      if (mode !== 'legs' && this.legs.length !== 2) throw new CodedError('record-call-legs', 'Record call needs a tap on both legs of a call: open the call (not one channel) from the Channels view.');
      if (this.writers().length > 0) return;
      const stamp = fileStamp();
      this.recordMode = mode;
      this.recordStartedAt = Date.now();
      this.recordingError = null;
      this.markers = [];
      if (mode !== 'legs') await this.startCallRecording(stamp);
      await Promise.all(
        this.legs.map(async (leg) => {
          if (mode === 'call' || leg.recorder || leg.outcome) return;
          const file = join(this.opts.recordingsDir(), recordingFileName(stamp, leg.client.channel, leg.client.kind === 'ari-media' ? `-${leg.direction}` : ''));
          leg.recorder = await TapRecorder.start(leg.client, file, { endpoint: this.opts.endpointName });
          leg.recorder.writer.events.on('error', (err) => {
            this.recordingError = err.message;
            this.events.emit('log', 'error', err.message);
            void this.finishLegRecording(this.legs.indexOf(leg)).then(() => this.events.emit('changed'));
          });
        }),
      );
      this.events.emit('log', 'info', `Recording ${this.opts.title} to ${this.opts.recordingsDir()}`);
    } else {
      await Promise.all([...this.legs.map((_, i) => this.finishLegRecording(i)), this.finishCallRecording()]);
    }
    this.events.emit('changed');
  }

  /** One stereo file of the call: leg A left, leg B right, aligned on arrival (silence where a leg sent nothing). */
  private async startCallRecording(stamp: string): Promise<void> {
    const [a, b] = this.legs as [Leg, Leg];
    if (a.outcome && b.outcome) return;
    const file = join(this.opts.recordingsDir(), recordingFileName(stamp, a.client.channel, '-call-stereo'));
    const rec = await StereoRecorder.start([a.client, b.client], file, { endpoint: this.opts.endpointName });
    this.callRecorder = rec;
    rec.writer.events.on('error', (err) => {
      this.recordingError = err.message;
      this.events.emit('log', 'error', err.message);
      void this.finishCallRecording().then(() => this.events.emit('changed'));
    });
  }

  private async finishCallRecording(): Promise<void> {
    const rec = this.callRecorder;
    if (!rec) return;
    this.callRecorder = undefined;
    await this.saved(await rec.finish(), null);
  }

  /**
   * Writes the last `seconds` each leg kept to new files (instant replay); recording need not be
   * on. A leg that could not be saved is an error (logged, and thrown once every leg was tried).
   */
  async saveReplay(seconds: number): Promise<RecordingView[]> {
    const bytes = Math.round(Math.min(seconds, REPLAY_SECONDS) * SLIN16.sampleRate) * 2;
    const stamp = fileStamp();
    const saved: RecordingView[] = [];
    const failures: CodedError[] = [];
    let held = 0;
    for (const leg of this.legs) {
      const audio = leg.replay.last(bytes);
      if (audio.length === 0) continue;
      held++;
      const heldMs = (audio.length / byteRate(SLIN16)) * 1000;
      const what = `the last ${(heldMs / 1000).toFixed(1)} s of ${leg.client.channel}`;
      const file = join(this.opts.recordingsDir(), recordingFileName(stamp, leg.client.channel, `-last-${Math.round(heldMs / 1000)}s`));
      const info = { channel: leg.client.channel, endpoint: this.opts.endpointName, startedAt: new Date(Date.now() - heldMs).toISOString(), note: `instant replay: the last ${(heldMs / 1000).toFixed(1)} s` };
      try {
        const result = await writeReplayFile(file, audio, info, what);
        saved.push({ path: result.path, bytes: result.dataBytes, durationMs: result.durationMs });
        this.events.emit('log', 'info', `Saved the last ${(result.durationMs / 1000).toFixed(1)} s of ${leg.client.channel} to ${result.path}`);
      } catch (err) {
        const coded = err instanceof CodedError ? err : new CodedError('replay-save-failed', `Could not save ${what}: ${(err as Error).message}`);
        failures.push(coded);
        this.events.emit('log', 'error', coded.message);
      }
    }
    if (held === 0) throw new CodedError('replay-empty', 'Nothing to save yet: no audio has arrived on this tap.');
    if (failures.length > 0) throw new CodedError('replay-save-failed', failures.map((f) => f.message).join(' '));
    return saved;
  }

  /** A marker at the current recording time (or tap time when not recording). */
  mark(label: string): number {
    const atMs = this.recordingMs ?? Date.now() - this.recordStartedAt;
    this.markers.push({ atMs, label });
    this.events.emit('log', 'info', `Marker "${label}" at ${(atMs / 1000).toFixed(2)} s on ${this.opts.title}`);
    return atMs;
  }

  private async finishLegRecording(index: number): Promise<void> {
    const leg = this.legs[index]!;
    const recorder = leg.recorder;
    if (!recorder) return;
    leg.recorder = undefined;
    await this.saved(await recorder.finish(), index);
  }

  /**
   * Markers go beside every file of the recording, with the findings and network figures of its
   * legs (`leg` null: the call's stereo file); the log line tells the Recordings view.
   */
  private async saved(result: WavWriterResult, leg: number | null): Promise<void> {
    const found = this.findings.forRecording(this.recordStartedAt, Date.now(), leg);
    const markers = [...this.markers, ...found.markers];
    if (markers.length > 0 || found.network.length > 0) await writeMarkers(result.path, markers, { network: found.network }).catch(() => undefined);
    // The waveform cache is made now, while the file is in the page cache, so the first review opens at once.
    void loadPeaks(result.path).catch(() => undefined);
    if (result.error) this.recordingError = `${result.error.message} The file holds what was written before (${(result.durationMs / 1000).toFixed(2)} s).`;
    this.events.emit('log', result.error ? 'error' : 'info', `Saved ${result.path} (${(result.durationMs / 1000).toFixed(2)} s)`);
  }

  /** Stops delivering, finishes recordings, and drains every socket until the server closes it. */
  async stop(): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    for (const leg of this.legs) {
      if (leg.flushTimer) clearTimeout(leg.flushTimer);
      leg.flushTimer = undefined;
    }
    await this.setRecording(false);
    for (const leg of this.legs) leg.client.stop();
    this.events.emit('changed');
  }

  /** Closes every socket now: only on an explicit user choice (quit anyway). */
  forceClose(): void {
    for (const leg of this.legs) leg.client.forceClose();
  }

  dispose(): void {
    void this.stop();
  }
}

import { join } from 'node:path';
import type { LegView, RecordMode, RecordingView, TapStatsView, TapView } from '../../../preload/contract.ts';
import { loadPeaks } from '../audio/wav-peaks.ts';
import type { RecordErrorCode, WavWriterResult } from '../audio/wav-writer.ts';
import type { Disposable } from '../common/disposable.ts';
import { TypedEmitter } from '../common/typed-emitter.ts';
import type { TapOutcome } from '../tap/stream-channel-client.ts';
import { traitsOf, type TapTransport } from '../tap/tap-transport.ts';
import { writeReplayFile } from './replay-file.ts';
import { SLIN16, byteRate } from '../audio/wav-format.ts';
import { CodedError } from '../common/coded-error.ts';
import { fileStamp, recordingFileName } from '../common/file-names.ts';
import { TapFindings } from './tap-findings.ts';
import { writeMarkers } from './review-markers.ts';
import { tapChunk, type StreamDetector, type TapChunk, type TapStage } from './tap-stage.ts';
import { StatsStage } from './stages/stats-stage.ts';
import { REPLAY_SECONDS, ReplayStage } from './stages/replay-stage.ts';
import { DetectorsStage } from './stages/detectors-stage.ts';
import { RecordersStage } from './stages/recorders-stage.ts';
import { UiBatchStage } from './stages/ui-batch-stage.ts';

export { REPLAY_SECONDS } from './stages/replay-stage.ts';

/** One leg of the tap: its transport and what it ended with. */
interface Leg {
  client: TapTransport;
  direction: 'in' | 'out';
  outcome: TapOutcome | undefined;
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
  /** Streaming detectors run on every leg (the detectors stage); none by default. */
  detectors?: readonly StreamDetector[];
}

/**
 * A tap as the workbench knows it: one or more legs opened together. The session is the only
 * subscriber of its transports; every chunk passes its stages in order (stats → replay →
 * detectors → recorders → UI batch), each owning its own figures. Stopping detaches and drains
 * (never closes a stream-channel socket while the call is up).
 */
export class TapSession implements Disposable {
  readonly events = new TypedEmitter<TapSessionEvents>();
  readonly id: string;
  readonly number: number;
  /** Findings (detectors, network) and network figures, for the recording's sidecar. */
  readonly findings = new TapFindings();
  private readonly opts: TapSessionOptions;
  private readonly legs: Leg[];
  private readonly statsStage: StatsStage;
  private readonly replay: ReplayStage;
  private readonly recorders: RecordersStage;
  private readonly uiBatch: UiBatchStage;
  private readonly detectors: DetectorsStage;
  /** Pending file work (finishing a leg's file, its peaks cache): see track(). */
  private readonly background = new Set<Promise<unknown>>();
  /** The frame path, in order. */
  private readonly stages: readonly TapStage[];
  /** Stages that threw once: reported once, then skipped, so one fault cannot stop the audio. */
  private readonly failedStages = new Set<TapStage>();
  private readonly subscriptions: Disposable[] = [];
  private detached = false;
  private markers: { atMs: number; label: string }[] = [];
  private recordStartedAt = 0;
  private recordMode: RecordMode = 'legs';
  private recordingError: string | null = null;

  constructor(opts: TapSessionOptions) {
    this.opts = opts;
    this.id = opts.id;
    this.number = opts.number;
    const legCount = opts.legs.length;
    this.statsStage = new StatsStage(legCount);
    this.replay = new ReplayStage(legCount);
    this.recorders = new RecordersStage({ legCount, onWriterError: (err, leg) => this.onWriterError(err, leg) });
    this.uiBatch = new UiBatchStage(legCount, (leg, wall, data) => this.events.emit('pcm', leg, wall, data));
    this.detectors = new DetectorsStage(legCount, opts.detectors ?? []);
    this.stages = [this.statsStage, this.replay, this.detectors, this.recorders, this.uiBatch];
    this.legs = opts.legs.map(({ transport: client, direction }, index) => {
      const leg: Leg = { client, direction, outcome: undefined };
      const on = client.events;
      this.subscriptions.push(
        on.on('state', () => this.events.emit('changed')),
        // ari-media reports DTMF digits: they become markers, as a person pressing M would make.
        on.on('dtmf', (digit) => this.mark(`DTMF ${digit}`)),
        on.on('pcm', (pcm) => this.run(tapChunk(index, pcm))),
        on.on('outcome', (outcome) => this.onOutcome(index, outcome)),
      );
      return leg;
    });
  }

  /** Passes a chunk through every stage, in order. */
  private run(chunk: TapChunk): void {
    for (const stage of this.stages) {
      if (this.failedStages.has(stage)) continue;
      try {
        stage.push(chunk);
      } catch (err) {
        this.switchOff(stage, err);
      }
    }
  }

  /** Calls into a stage off the frame path (a leg ended, the tap stopped), as {@link run} does. */
  private guarded(stage: TapStage, call: () => void): void {
    if (this.failedStages.has(stage)) return;
    try {
      call();
    } catch (err) {
      this.switchOff(stage, err);
    }
  }

  /** A stage that threw is reported once and skipped from then on, so one fault cannot stop the audio. */
  private switchOff(stage: TapStage, err: unknown): void {
    this.failedStages.add(stage);
    this.events.emit('log', 'error', `The ${stage.name} stage of ${this.opts.title} failed and was switched off (the audio goes on): ${(err as Error).message}`);
  }

  private onOutcome(index: number, outcome: TapOutcome): void {
    const leg = this.legs[index]!;
    leg.outcome = outcome;
    for (const stage of this.stages) this.guarded(stage, () => stage.endLeg(index));
    this.events.emit('log', outcome.state === 'failed' ? 'error' : 'info', `${leg.client.channel}: ${outcome.message}`);
    this.track(this.finishLegRecording(index).then(() => this.events.emit('changed')));
    // The call's stereo file ends with the call: when no leg is left to arrive.
    if (this.legs.every((l) => l.outcome)) this.track(this.finishCallRecording().then(() => this.events.emit('changed')));
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

  /** Each leg's live figures: counts and levels from the stats stage, drops from the recorders. */
  stats(): TapStatsView[] {
    return this.legs.map((_, i) => ({ ...this.statsStage.figures(i), drops: this.recorders.drops(i) }));
  }

  get recordingMs(): number | null {
    const w = this.recorders.writers()[0];
    return w ? w.durationMs : null;
  }
  get recordingBytes(): number | null {
    const ws = this.recorders.writers();
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
    const ws = this.recorders.writers();
    const recording = ws.length > 0 ? ws.map((w) => ({ path: w.path, bytes: w.dataBytes, durationMs: w.durationMs })) : null;
    return { id: this.id, number: this.number, endpointId: this.opts.endpointId, title: this.opts.title, legs, recording, recordMode: this.recordMode, recordingError: this.recordingError, detached: this.detached };
  }

  async setRecording(on: boolean, mode: RecordMode = this.recordMode): Promise<void> {
    if (on) {
      if (mode !== 'legs' && this.legs.length !== 2) throw new CodedError('record-call-legs', 'Record call needs a tap on both legs of a call: open the call (not one channel) from the Channels view.');
      if (this.recorders.recording) return;
      this.recordMode = mode;
      this.recordStartedAt = Date.now();
      this.recordingError = null;
      this.markers = [];
      const legs = this.legs.map((l) => ({ channel: l.client.channel, fileSuffix: traitsOf(l.client).namesDirection ? `-${l.direction}` : '', ended: l.outcome !== undefined }));
      await this.recorders.start(mode, this.opts.recordingsDir(), fileStamp(), legs, this.opts.endpointName);
      this.events.emit('log', 'info', `Recording ${this.opts.title} to ${this.opts.recordingsDir()}`);
    } else {
      await Promise.all([...this.legs.map((_, i) => this.finishLegRecording(i)), this.finishCallRecording()]);
    }
    this.events.emit('changed');
  }

  /** A file's writer failed: say so, and finish that file with what it holds. */
  private onWriterError(err: CodedError<RecordErrorCode>, leg: number | null): void {
    this.recordingError = err.message;
    this.events.emit('log', 'error', err.message);
    this.track((leg === null ? this.finishCallRecording() : this.finishLegRecording(leg)).then(() => this.events.emit('changed')));
  }

  private async finishCallRecording(): Promise<void> {
    const result = await this.recorders.finishCall();
    if (result) await this.saved(result, null);
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
      const audio = this.replay.last(this.legs.indexOf(leg), bytes);
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
    const result = await this.recorders.finishLeg(index);
    if (result) await this.saved(result, index);
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
    this.track(loadPeaks(result.path), true);
    if (result.error) this.recordingError = `${result.error.message} The file holds what was written before (${(result.durationMs / 1000).toFixed(2)} s).`;
    this.events.emit('log', result.error ? 'error' : 'info', `Saved ${result.path} (${(result.durationMs / 1000).toFixed(2)} s)`);
  }

  /** Stops delivering, finishes recordings, and drains every socket until the server closes it. */
  async stop(): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    this.uiBatch.dispose();
    // No more audio reaches the stages: the detectors close what is open (a silence in progress).
    this.guarded(this.detectors, () => this.detectors.dispose());
    await this.setRecording(false);
    for (const leg of this.legs) leg.client.stop();
    // Files still being finished or cached (a leg that ended just before) are done when stop() is.
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
    this.events.emit('changed');
  }

  /** Work on files that outlives the call that started it; stop() waits for it, so no handle is left open. */
  private track(work: Promise<unknown>, quiet = false): void {
    const p = work
      .catch((err: unknown) => quiet || this.events.emit('log', 'error', `${this.opts.title}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.background.delete(p));
    this.background.add(p);
  }

  /** Closes every socket now: only on an explicit user choice (quit anyway). */
  forceClose(): void {
    for (const leg of this.legs) leg.client.forceClose();
  }

  dispose(): void {
    void this.stop().finally(() => {
      // Draining sockets still report their state and outcome; only the audio path is let go.
      for (const stage of this.stages) stage.dispose();
    });
  }
}

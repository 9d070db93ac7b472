import { join } from 'node:path';
import type { RecordMode } from '../../../../preload/contract.ts';
import type { CodedError } from '../../common/coded-error.ts';
import { recordingFileName } from '../../common/file-names.ts';
import type { RecordErrorCode, WavWriter, WavWriterResult } from '../../audio/wav-writer.ts';
import { StereoRecorder } from '../../tap/stereo-recorder.ts';
import { TapRecorder } from '../../tap/tap-recorder.ts';
import type { TapChunk, TapStage } from '../tap-stage.ts';

/** What the recorders need to know of a leg when a recording starts. */
export interface RecordLeg {
  channel: string;
  /** Added to the file name (e.g. "-in"), empty when the channel alone names the leg. */
  fileSuffix: string;
  /** The leg has ended: it gets no file. */
  ended: boolean;
}

export interface RecordersStageOptions {
  legCount: number;
  /** A file's writer failed (disk full, permission): `leg` null for the call's stereo file. */
  onWriterError: (err: CodedError<RecordErrorCode>, leg: number | null) => void;
}

/**
 * The files of a recording: one per leg, the call's stereo file (leg 0 left, leg 1 right), or
 * both. The owner of the tap's drops: audio a file could not take because the disk was too slow.
 */
export class RecordersStage implements TapStage {
  readonly name = 'recorders';
  private readonly opts: RecordersStageOptions;
  private readonly legFiles: (TapRecorder | undefined)[];
  private readonly legDrops: number[];
  private call: StereoRecorder | undefined;
  private callDropsBefore = 0;

  constructor(opts: RecordersStageOptions) {
    this.opts = opts;
    this.legFiles = Array.from({ length: opts.legCount }, () => undefined);
    this.legDrops = Array.from({ length: opts.legCount }, () => 0);
  }

  /** True while any file is being written. */
  get recording(): boolean {
    return this.writers().length > 0;
  }

  /** The writers of the running recording: the call's stereo file first, then the legs'. */
  writers(): WavWriter[] {
    return [...(this.call ? [this.call.writer] : []), ...this.legFiles.flatMap((r) => (r ? [r.writer] : []))];
  }

  /** Opens the files of a recording in `dir`; legs that ended get none. */
  async start(mode: RecordMode, dir: string, stamp: string, legs: RecordLeg[], endpoint: string): Promise<void> {
    if (mode !== 'legs') {
      const [a, b] = legs as [RecordLeg, RecordLeg];
      if (!(a.ended && b.ended)) {
        const rec = await StereoRecorder.create([a.channel, b.channel], join(dir, recordingFileName(stamp, a.channel, '-call-stereo')), { endpoint });
        rec.writer.events.on('error', (err) => this.opts.onWriterError(err, null));
        this.call = rec;
      }
    }
    if (mode === 'call') return;
    await Promise.all(
      legs.map(async (leg, i) => {
        if (leg.ended || this.legFiles[i]) return;
        const rec = await TapRecorder.create(join(dir, recordingFileName(stamp, leg.channel, leg.fileSuffix)), { channel: leg.channel, endpoint });
        rec.writer.events.on('error', (err) => this.opts.onWriterError(err, i));
        this.legFiles[i] = rec;
      }),
    );
  }

  push(chunk: TapChunk): void {
    const file = this.legFiles[chunk.leg];
    if (file && !file.push(chunk)) this.legDrops[chunk.leg]! += 1;
    if (this.call && chunk.leg < 2) this.call.push(chunk.leg as 0 | 1, chunk);
  }

  /** A leg's file ends with the leg; the call's file when no leg is left to arrive (the session decides). */
  endLeg(): void {}

  /** Finishes a leg's file; undefined when it had none. */
  async finishLeg(leg: number): Promise<WavWriterResult | undefined> {
    const file = this.legFiles[leg];
    if (!file) return undefined;
    this.legFiles[leg] = undefined;
    return file.finish();
  }

  /** Finishes the call's stereo file; undefined when there is none. */
  async finishCall(): Promise<WavWriterResult | undefined> {
    const call = this.call;
    if (!call) return undefined;
    this.call = undefined;
    const result = await call.finish();
    this.callDropsBefore += call.drops;
    return result;
  }

  /** Chunks a leg's files could not take; the call's stereo file counts on its first leg. */
  drops(leg: number): number {
    return this.legDrops[leg]! + (leg === 0 ? this.callDropsBefore + (this.call?.drops ?? 0) : 0);
  }

  dispose(): void {
    for (let i = 0; i < this.legFiles.length; i++) void this.finishLeg(i);
    void this.finishCall();
  }
}

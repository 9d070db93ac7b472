import { open, type FileHandle } from 'node:fs/promises';
import { CodedError, describeError } from '../common/coded-error.ts';
import type { Disposable } from '../common/disposable.ts';
import { TypedEmitter } from '../common/typed-emitter.ts';
import { SLIN16, buildWavHeader, byteRate, type PcmFormat, type RecordingInfo } from './wav-format.ts';

export type RecordErrorCode = 'record-open-failed' | 'record-write-failed' | 'record-too-large';

export interface WavWriterOptions {
  format?: PcmFormat;
  info?: RecordingInfo;
  /** Pending audio is written at least this often. */
  flushIntervalMs?: number;
  /** The header's sizes are brought up to date at least this often, so a crash loses at most this much. */
  headerIntervalMs?: number;
  /** Audio waiting for the disk beyond this is dropped (and counted) rather than held in memory. */
  maxPendingBytes?: number;
  /** Replace an existing file (default: refuse, so nothing recorded earlier is lost). */
  overwrite?: boolean;
  /** Stop taking audio at exactly this many data bytes (e.g. "record 3 s"). */
  limitBytes?: number;
}

export interface WavWriterResult {
  path: string;
  dataBytes: number;
  durationMs: number;
  drops: number;
  error?: { code: RecordErrorCode; message: string };
}

export interface WavWriterEvents {
  error: (err: CodedError<RecordErrorCode>) => void;
}

const WAV_MAX_BYTES = 0xffff_ffff;

/**
 * Writes PCM to a WAV file as it arrives. Audio is batched in memory for at most
 * `flushIntervalMs` and the RIFF/data sizes are rewritten at least every `headerIntervalMs`, so
 * a killed process leaves a file that is valid up to about a second before the kill (and
 * {@link repairWav} recovers the rest that reached the disk).
 */
export class WavWriter implements Disposable {
  readonly events = new TypedEmitter<WavWriterEvents>();
  readonly path: string;
  readonly format: PcmFormat;
  private readonly handle: FileHandle;
  private readonly headerLength: number;
  private readonly dataSizeOffset: number;
  private readonly opts: Required<Omit<WavWriterOptions, 'format' | 'info' | 'overwrite'>>;
  /** Set once {@link WavWriterOptions.limitBytes} is reached. */
  private full = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to the disk and not yet confirmed: still counted, or the byte limit is overshot. */
  private inFlight = 0;
  private written = 0;
  private dropCount = 0;
  private lastHeaderAt = Date.now();
  private headerDirty = false;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: CodedError<RecordErrorCode> | undefined;
  private finished: Promise<WavWriterResult> | undefined;

  private constructor(path: string, handle: FileHandle, header: { header: Buffer; dataSizeOffset: number }, format: PcmFormat, opts: WavWriterOptions) {
    this.path = path;
    this.handle = handle;
    this.format = format;
    this.headerLength = header.header.length;
    this.dataSizeOffset = header.dataSizeOffset;
    this.opts = {
      flushIntervalMs: opts.flushIntervalMs ?? 200,
      headerIntervalMs: opts.headerIntervalMs ?? 1000,
      maxPendingBytes: opts.maxPendingBytes ?? byteRate(format) * 10,
      limitBytes: opts.limitBytes ?? Number.POSITIVE_INFINITY,
    };
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
  }

  /** Creates the file and writes its header. */
  static async create(path: string, options: WavWriterOptions = {}): Promise<WavWriter> {
    const format = options.format ?? SLIN16;
    const header = buildWavHeader(format, 0, options.info);
    let handle: FileHandle;
    try {
      handle = await open(path, options.overwrite ? 'w' : 'wx');
      await handle.write(header.header, 0, header.header.length, 0);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      const why = code === 'EEXIST' ? 'the file already exists (choose another name or allow overwriting)' : describeError(cause);
      throw new CodedError('record-open-failed', `Cannot create the recording ${path}: ${why}.`, { cause });
    }
    return new WavWriter(path, handle, header, format, options);
  }

  /** Audio bytes accepted so far (written or pending). */
  get dataBytes(): number {
    return this.written + this.inFlight + this.pendingBytes;
  }
  get durationMs(): number {
    return (this.dataBytes / byteRate(this.format)) * 1000;
  }
  get drops(): number {
    return this.dropCount;
  }
  get error(): CodedError<RecordErrorCode> | undefined {
    return this.failure;
  }
  /** True once the byte limit was reached: the recording is complete. */
  get isFull(): boolean {
    return this.full;
  }

  /** Queues audio; returns false when it was dropped (writer failed, finished, or disk too slow). */
  write(pcm: Uint8Array): boolean {
    if (this.failure || this.finished || this.full) return false;
    const room = this.opts.limitBytes - this.dataBytes;
    if (pcm.byteLength >= room) {
      this.full = true;
      // Whole sample frames only (2 bytes mono, 4 stereo), never past the limit.
      const block = this.format.channels * (this.format.bitsPerSample / 8);
      pcm = pcm.subarray(0, Math.max(0, room - (room % block)));
    }
    if (this.headerLength + this.dataBytes + pcm.byteLength > WAV_MAX_BYTES) {
      this.fail(new CodedError('record-too-large', `The recording ${this.path} reached the 4 GiB limit of the WAV format; it was ended there.`));
      return false;
    }
    if (this.pendingBytes + pcm.byteLength > this.opts.maxPendingBytes) {
      this.dropCount += 1;
      return false;
    }
    // Copy: the caller's buffer may be reused or transferred.
    this.pending.push(Buffer.from(pcm));
    this.pendingBytes += pcm.byteLength;
    return true;
  }

  /** Writes what is pending now; resolves when it is on its way to disk. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.doFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    while (this.pendingBytes > 0 && !this.failure) {
      const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.inFlight = chunk.length;
      try {
        await this.writeFully(chunk, this.headerLength + this.written);
        this.inFlight = 0;
        this.written += chunk.length;
        this.headerDirty = true;
      } catch (cause) {
        this.inFlight = 0;
        this.fail(new CodedError('record-write-failed', `Writing the recording ${this.path} failed: ${describeError(cause)}. What was written before is kept.`, { cause }));
      }
    }
    if (this.headerDirty && Date.now() - this.lastHeaderAt >= this.opts.headerIntervalMs) await this.writeSizes();
  }

  private async writeFully(chunk: Buffer, position: number): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, off, chunk.length - off, position + off);
      if (bytesWritten === 0) throw new Error('the disk accepted no bytes');
      off += bytesWritten;
    }
  }

  private async writeSizes(): Promise<void> {
    const fields = Buffer.alloc(4);
    try {
      fields.writeUInt32LE(this.headerLength - 8 + this.written, 0);
      await this.handle.write(fields, 0, 4, 4);
      fields.writeUInt32LE(this.written, 0);
      await this.handle.write(fields, 0, 4, this.dataSizeOffset);
      this.headerDirty = false;
      this.lastHeaderAt = Date.now();
    } catch (cause) {
      this.fail(new CodedError('record-write-failed', `Updating the header of ${this.path} failed: ${describeError(cause)}.`, { cause }));
    }
  }

  private fail(err: CodedError<RecordErrorCode>): void {
    if (this.failure) return;
    this.failure = err;
    this.pending = [];
    this.pendingBytes = 0;
    this.events.emit('error', err);
  }

  /** Writes everything pending, fixes the header and closes the file. Safe to call twice. */
  finish(): Promise<WavWriterResult> {
    this.finished ??= this.doFinish();
    return this.finished;
  }

  private async doFinish(): Promise<WavWriterResult> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // A flush already running may be past its data (updating the header) when audio that came
    // since is pending: flush until nothing is left.
    do await this.flush();
    while (this.pendingBytes > 0 && !this.failure);
    const failure = this.failure;
    // Even after a write error the header is made to match what reached the file.
    this.failure = undefined;
    await this.writeSizes();
    const headerFailure = this.failure as CodedError<RecordErrorCode> | undefined;
    this.failure = failure ?? headerFailure;
    try {
      await this.handle.close();
    } catch {
      // Closing after a failed write can fail again; the file is as good as it will get.
    }
    const result: WavWriterResult = {
      path: this.path,
      dataBytes: this.written,
      durationMs: (this.written / byteRate(this.format)) * 1000,
      drops: this.dropCount,
    };
    if (this.failure) result.error = { code: this.failure.code, message: this.failure.message };
    return result;
  }

  /** Finishes the file in the background; errors surface through {@link events}. */
  dispose(): void {
    void this.finish();
  }
}

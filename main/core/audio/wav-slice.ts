import { constants, createReadStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CodedError, describeError } from '../common/coded-error.ts';
import { buildWavHeader, type RecordingInfo } from './wav-format.ts';
import type { WavLayout } from './wav-reader.ts';

/** A span of frames: [start, end). */
export interface FrameRange {
  startFrame: number;
  endFrame: number;
}

/**
 * The frames a time selection covers: both edges rounded to the nearest frame and clamped to the
 * recording, so adjacent selections tile it with no frame lost or repeated. Throws when nothing
 * is left (an empty or reversed selection, or one wholly outside the recording).
 */
export function selectionFrames(totalFrames: number, sampleRate: number, startMs: number, endMs: number): FrameRange {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new CodedError('export-range', 'The selection has no valid start and end.');
  const clamp = (ms: number): number => Math.min(totalFrames, Math.max(0, Math.round((ms * sampleRate) / 1000)));
  const startFrame = clamp(Math.min(startMs, endMs));
  const endFrame = clamp(Math.max(startMs, endMs));
  if (endFrame <= startFrame) throw new CodedError('export-range', 'The selection is empty: select at least one sample inside the recording.');
  return { startFrame, endFrame };
}

export interface SliceOptions {
  /** Metadata of the new file (the source's, with the clip's own start time and a note). */
  info: RecordingInfo;
  signal?: AbortSignal;
  /** Called with bytes of audio copied so far. */
  onProgress?: (bytes: number) => void;
}

/**
 * Copies frames [start, end) of a WAV into a new WAV by streaming (the source is only read).
 * Written to `<target>.part` and renamed at the end, so a cancelled or failed export leaves
 * nothing behind and never a half file under the final name.
 */
export async function sliceWav(source: { path: string; layout: WavLayout }, range: FrameRange, target: string, opts: SliceOptions): Promise<{ path: string; dataBytes: number; durationMs: number }> {
  const { format, dataOffset } = source.layout;
  const block = format.channels * 2;
  const dataBytes = (range.endFrame - range.startFrame) * block;
  const { header } = buildWavHeader(format, dataBytes, opts.info);
  const part = `${target}.part`;
  let copied = 0;
  const progress = new Transform({
    transform(chunk: Buffer, _enc, done) {
      copied += chunk.length;
      opts.onProgress?.(copied);
      done(null, chunk);
    },
  });
  // Opened before any stream exists, so every failure (name too long, permission, a .part that
  // is already there, a symlink) is a rejected promise here, never an 'error' event nobody hears.
  let handle: FileHandle;
  try {
    handle = await open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
    throw new CodedError('export-failed', `Cannot write ${target}: ${whyNot(err)}.`, { cause: err });
  }
  const out = handle.createWriteStream();
  out.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => out.write(header, (err) => (err ? reject(err) : resolve())));
    if (dataBytes > 0) {
      const start = dataOffset + range.startFrame * block;
      const input = createReadStream(source.path, { start, end: start + dataBytes - 1, highWaterMark: 256 * 1024 });
      await pipeline(input, progress, out, opts.signal ? { signal: opts.signal } : {});
    } else {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    if (copied < dataBytes && dataBytes > 0) throw new CodedError('export-short', `The source ended early: ${copied} of ${dataBytes} bytes copied.`);
    await rename(part, target);
  } catch (err) {
    out.destroy();
    await rm(part, { force: true });
    if (opts.signal?.aborted) throw new CodedError('export-cancelled', 'The export was cancelled; nothing was written.');
    if (err instanceof CodedError) throw err;
    throw new CodedError('export-failed', `Cannot write ${target}: ${whyNot(err)}.`, { cause: err });
  }
  return { path: target, dataBytes, durationMs: ((range.endFrame - range.startFrame) / format.sampleRate) * 1000 };
}

function whyNot(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return 'a file of that name is being written';
  if (code === 'ENAMETOOLONG') return 'the file name is too long for the disk; use a shorter label';
  if (code === 'ELOOP') return 'its .part name is a symbolic link';
  return describeError(err);
}

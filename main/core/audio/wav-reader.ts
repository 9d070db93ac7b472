import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { CodedError, describeError } from '../common/coded-error.ts';
import { decodeInfoPayload, type PcmFormat, type RecordingInfo } from './wav-format.ts';

export type WavErrorCode = 'wav-unreadable' | 'wav-not-wav' | 'wav-malformed' | 'wav-unsupported' | 'wav-truncated';

export class WavError extends CodedError<WavErrorCode> {
  constructor(code: WavErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'WavError';
  }
}

/** What a WAV file's header says, checked against the file itself. */
export interface WavLayout {
  format: PcmFormat;
  fileBytes: number;
  /** Value of the RIFF size field. */
  riffSize: number;
  /** Offset of the first audio byte. */
  dataOffset: number;
  /** Data size the header declares. */
  declaredDataBytes: number;
  /** Audio bytes that are really there (the declared size, or less if the file is short). */
  dataBytes: number;
  durationMs: number;
  info: RecordingInfo;
  tags: Record<string, string>;
}

/** Headers larger than this are not plausible for PCM recordings; bounds the memory a bad file costs. */
const MAX_HEADER_BYTES = 1024 * 1024;
/** The first read: the app's own headers (fmt, LIST/INFO, data) fit in far less. */
const FIRST_READ_BYTES = 16 * 1024;

/** The header goes on past the bytes read so far: read this many and parse again. */
class HeaderIncomplete extends Error {
  readonly need: number;
  constructor(need: number) {
    super('header incomplete');
    this.need = need;
  }
}

/**
 * Opens a file for reading only if it is a regular file: O_NONBLOCK so a FIFO named like a
 * recording cannot block a thread forever, and with `noFollow` a symlink is refused (ELOOP).
 */
export async function openRegularFile(path: string, opts: { noFollow?: boolean } = {}): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (opts.noFollow ? constants.O_NOFOLLOW : 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: st.isDirectory() ? 'EISDIR' : 'ENOTREG' });
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Reads and validates a WAV header. `strict` rejects files whose data chunk is shorter than
 * declared (truncated); lenient mode reports them so that repair can fix them.
 */
export async function inspectWav(path: string, options: { strict?: boolean; noFollow?: boolean } = {}): Promise<WavLayout> {
  let handle: FileHandle;
  try {
    handle = await openRegularFile(path, { noFollow: options.noFollow === true });
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    const why = code === 'ELOOP' ? 'it is a symbolic link' : code === 'ENOTREG' ? 'it is not a regular file' : describeError(cause);
    throw new WavError('wav-unreadable', `Cannot open ${path}: ${why}.`, { cause });
  }
  try {
    const { size } = await handle.stat();
    const layout = await readHeader(handle, size, path);
    if (options.strict !== false && layout.dataBytes < layout.declaredDataBytes) {
      throw new WavError(
        'wav-truncated',
        `${path} is truncated: its header declares ${layout.declaredDataBytes} bytes of audio but only ${layout.dataBytes} are present. Repair it or record again.`,
      );
    }
    return layout;
  } finally {
    await handle.close();
  }
}

/** Reads as much of the file as its header needs (16 KB for the app's own files), never more than 1 MB. */
async function readHeader(handle: FileHandle, size: number, path: string): Promise<WavLayout> {
  let want = Math.min(size, FIRST_READ_BYTES);
  for (;;) {
    const head = Buffer.alloc(want);
    const { bytesRead } = await handle.read(head, 0, want, 0);
    try {
      return parseWavHeader(head.subarray(0, bytesRead), size, path);
    } catch (err) {
      if (!(err instanceof HeaderIncomplete) || bytesRead < want) throw err instanceof HeaderIncomplete ? new WavError('wav-truncated', `${path} ends inside its header.`) : err;
      want = Math.min(size, MAX_HEADER_BYTES, Math.max(err.need, want * 4));
    }
  }
}

/** Parses the header bytes of a WAV whose full length is `fileBytes`. */
export function parseWavHeader(head: Buffer, fileBytes: number, name = 'the file'): WavLayout {
  // More of the file could complete the header: the caller reads more (up to the cap) and asks again.
  const canReadMore = head.length < Math.min(fileBytes, MAX_HEADER_BYTES);
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavError('wav-not-wav', `${name} is not a WAV file (no RIFF/WAVE header).`);
  }
  const riffSize = head.readUInt32LE(4);
  let pos = 12;
  let format: PcmFormat | undefined;
  let info: RecordingInfo = {};
  let tags: Record<string, string> = {};
  while (pos + 8 <= head.length) {
    const id = head.toString('ascii', pos, pos + 4);
    const size = head.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (!/^[\x20-\x7e]{4}$/.test(id)) throw new WavError('wav-malformed', `${name} has a damaged chunk header at byte ${pos}.`);
    if (id === 'data') {
      if (!format) throw new WavError('wav-malformed', `${name} has audio data before its format chunk.`);
      const available = Math.max(0, fileBytes - body);
      const blockAlign = (format.channels * format.bitsPerSample) / 8;
      const dataBytes = Math.floor(Math.min(size, available) / blockAlign) * blockAlign;
      const rate = format.sampleRate * blockAlign;
      return { format, fileBytes, riffSize, dataOffset: body, declaredDataBytes: size, dataBytes, durationMs: (dataBytes / rate) * 1000, info, tags };
    }
    if (body + size > head.length && canReadMore) throw new HeaderIncomplete(body + size + 8);
    if (body + size > head.length) throw new WavError('wav-malformed', `${name}: the "${id}" chunk runs past the end of the header.`);
    if (id === 'fmt ') format = parseFmt(head.subarray(body, body + size), name);
    else if (id === 'LIST' && size >= 4 && head.toString('ascii', body, body + 4) === 'INFO') {
      ({ info, tags } = decodeInfoPayload(head.subarray(body, body + size)));
    }
    pos = body + size + (size % 2);
  }
  if (canReadMore) throw new HeaderIncomplete(pos + 8);
  throw new WavError(format ? 'wav-truncated' : 'wav-malformed', `${name} has no audio data chunk${format ? ' (the file ends inside its header)' : ''}.`);
}

function parseFmt(fmt: Buffer, name: string): PcmFormat {
  if (fmt.length < 16) throw new WavError('wav-malformed', `${name} has a format chunk of ${fmt.length} bytes; at least 16 are needed.`);
  let tag = fmt.readUInt16LE(0);
  if (tag === WAVE_FORMAT_EXTENSIBLE && fmt.length >= 26) tag = fmt.readUInt16LE(24);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  if (tag !== WAVE_FORMAT_PCM) throw new WavError('wav-unsupported', `${name} is not linear PCM (format tag ${tag}); only 16-bit PCM is supported.`);
  if (bits !== 16) throw new WavError('wav-unsupported', `${name} has ${bits}-bit samples; only 16-bit PCM is supported.`);
  if (channels < 1 || channels > 8) throw new WavError('wav-malformed', `${name} declares ${channels} channels.`);
  if (sampleRate < 1000 || sampleRate > 384_000) throw new WavError('wav-malformed', `${name} declares an implausible sample rate of ${sampleRate} Hz.`);
  if (blockAlign !== channels * 2) throw new WavError('wav-malformed', `${name} has block align ${blockAlign}, expected ${channels * 2}.`);
  return { sampleRate, channels, bitsPerSample: 16 };
}

/** Reads a whole (validated) WAV: layout plus its audio bytes. For short files and tests. */
export async function readWav(path: string): Promise<WavLayout & { data: Buffer }> {
  const layout = await inspectWav(path, { strict: true });
  const handle = await open(path, 'r');
  try {
    const data = Buffer.alloc(layout.dataBytes);
    await handle.read(data, 0, data.length, layout.dataOffset);
    return { ...layout, data };
  } finally {
    await handle.close();
  }
}

/** SLIN16 as Asterisk sends it: 16 kHz, 16-bit signed little-endian, mono. */
export const SLIN16 = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } as const;
/** One 20 ms frame of SLIN16, as res_ari_stream sends it. */
export const SLIN16_FRAME_BYTES = 640;

export interface PcmFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: 16;
}

/** What the app embeds in a recording (LIST/INFO), so a file explains itself when shared. */
export interface RecordingInfo {
  channel?: string;
  endpoint?: string;
  /** ISO 8601 wall-clock time of the first sample. */
  startedAt?: string;
  /** Free text (e.g. "repaired after a crash"). */
  note?: string;
  software?: string;
}

/** How the app's JSON comment (ICMT) starts: marks a file as written by this app. */
export const INFO_COMMENT_PREFIX = 'asterisk-tap ';

/** Builds a LIST/INFO chunk; the app's fields travel as JSON in ICMT, plus standard tags. */
export function encodeInfoChunk(info: RecordingInfo): Buffer {
  const entries: [string, string][] = [];
  if (info.channel !== undefined) entries.push(['INAM', info.channel]);
  if (info.startedAt !== undefined) entries.push(['ICRD', info.startedAt]);
  entries.push(['ISFT', info.software ?? 'Asterisk Tap']);
  entries.push(['ICMT', INFO_COMMENT_PREFIX + JSON.stringify(info)]);
  const parts = entries.map(([id, text]) => {
    const body = Buffer.from(`${text}\0`, 'utf8');
    const padded = body.length % 2 === 1 ? Buffer.concat([body, Buffer.alloc(1)]) : body;
    const head = Buffer.alloc(8);
    head.write(id, 0, 'ascii');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, padded]);
  });
  const payload = Buffer.concat([Buffer.from('INFO', 'ascii'), ...parts]);
  const head = Buffer.alloc(8);
  head.write('LIST', 0, 'ascii');
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** Reads the app's fields back from a LIST/INFO payload (after the 'INFO' id); tolerant of foreign tags. */
export function decodeInfoPayload(payload: Buffer): { info: RecordingInfo; tags: Record<string, string> } {
  const tags: Record<string, string> = {};
  let pos = 4;
  while (pos + 8 <= payload.length) {
    const id = payload.toString('ascii', pos, pos + 4);
    const size = payload.readUInt32LE(pos + 4);
    const end = Math.min(payload.length, pos + 8 + size);
    tags[id] = payload.toString('utf8', pos + 8, end).replace(/\0+$/, '');
    pos = pos + 8 + size + (size % 2);
  }
  let info: RecordingInfo = {};
  const comment = tags['ICMT'];
  if (comment?.startsWith(INFO_COMMENT_PREFIX)) {
    try {
      const parsed: unknown = JSON.parse(comment.slice(INFO_COMMENT_PREFIX.length));
      if (parsed !== null && typeof parsed === 'object') info = pickInfo(parsed as Record<string, unknown>);
    } catch {
      // A foreign or damaged comment is kept as a tag only.
    }
  } else {
    if (tags['INAM'] !== undefined) info.channel = tags['INAM'];
    if (tags['ICRD'] !== undefined) info.startedAt = tags['ICRD'];
  }
  return { info, tags };
}

function pickInfo(raw: Record<string, unknown>): RecordingInfo {
  const out: RecordingInfo = {};
  for (const key of ['channel', 'endpoint', 'startedAt', 'note', 'software'] as const) {
    const v = raw[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

/** The header of a PCM WAV: RIFF, fmt, optional LIST/INFO, and the data chunk header. */
export function buildWavHeader(format: PcmFormat, dataBytes: number, info?: RecordingInfo): { header: Buffer; dataSizeOffset: number } {
  const blockAlign = (format.channels * format.bitsPerSample) / 8;
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(format.channels, 10);
  fmt.writeUInt32LE(format.sampleRate, 12);
  fmt.writeUInt32LE(format.sampleRate * blockAlign, 16);
  fmt.writeUInt16LE(blockAlign, 20);
  fmt.writeUInt16LE(format.bitsPerSample, 22);
  const list = info ? encodeInfoChunk(info) : Buffer.alloc(0);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(dataBytes, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.write('WAVE', 8, 'ascii');
  const header = Buffer.concat([riff, fmt, list, dataHead]);
  header.writeUInt32LE(header.length - 8 + dataBytes, 4);
  return { header, dataSizeOffset: header.length - 4 };
}

/** Bytes per second of a format. */
export function byteRate(format: PcmFormat): number {
  return format.sampleRate * format.channels * (format.bitsPerSample / 8);
}

import { createReadStream } from 'node:fs';
import type { Finding, LegSummary } from '../../../preload/contract.ts';
import { inspectWav, WavError } from '../audio/wav-reader.ts';
import { CallAnalyzer } from './call-analyzer.ts';
import type { DetectorSettingsPatch } from './detector-settings.ts';

/** The detectors' report on one WAV file (the shape `analyze --json` prints). */
export interface WavAnalysis {
  file: string;
  durationS: number;
  sampleRate: number;
  legs: LegSummary[];
  /** Findings in the order they were found, without their ids. */
  events: Omit<Finding, 'id'>[];
}

/** Bytes read at a time: memory stays flat whatever the file's length. */
const CHUNK_BYTES = 256 * 1024;
/** Stereo is fed a quarter second per leg at a time (the analyzer allows legs 1 s apart). */
const SLICE_FRAMES = 4000;

/**
 * Runs the detectors over a 16 kHz 16-bit PCM WAV by streaming through it once: mono is one leg,
 * stereo a call (leg 0 left, leg 1 right). Anything else is a WavError ('wav-unsupported' for a
 * readable file in another format, saying what it is).
 */
export async function analyzeWav(path: string, opts: { settings?: DetectorSettingsPatch; onProgress?: (doneS: number, totalS: number) => void } = {}): Promise<WavAnalysis> {
  const layout = await inspectWav(path, { strict: false });
  const { sampleRate, channels } = layout.format;
  if (sampleRate !== 16_000 || channels > 2) {
    const what = `${sampleRate} Hz 16-bit PCM, ${channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} channels`}`;
    throw new WavError('wav-unsupported', `${path} is ${what}; analyze needs 16 kHz 16-bit PCM, mono or stereo (e.g. sox "${path}" -r 16000 out.wav).`);
  }
  const analyzer = new CallAnalyzer({ legs: channels as 1 | 2, ...(opts.settings ? { settings: opts.settings } : {}) });
  const events: Omit<Finding, 'id'>[] = [];
  analyzer.events.on('finding', ({ id: _id, ...f }) => events.push(f));
  const totalS = layout.durationMs / 1000;
  try {
    if (layout.dataBytes > 0) {
      const stream = createReadStream(path, { start: layout.dataOffset, end: layout.dataOffset + layout.dataBytes - 1, highWaterMark: CHUNK_BYTES });
      const frameBytes = 2 * channels;
      let carry = Buffer.alloc(0);
      const left = new Int16Array(CHUNK_BYTES / 2);
      const right = new Int16Array(CHUNK_BYTES / 2);
      for await (const raw of stream as AsyncIterable<Buffer>) {
        const chunk = carry.length > 0 ? Buffer.concat([carry, raw]) : raw;
        const frames = Math.floor(chunk.length / frameBytes);
        const whole = frames * frameBytes;
        carry = Buffer.from(chunk.subarray(whole));
        if (channels === 1) analyzer.pushBytes(0, chunk.subarray(0, whole));
        else {
          const view = int16View(chunk, whole);
          for (let i = 0, j = 0; i < frames; i++, j += 2) {
            left[i] = view[j]!;
            right[i] = view[j + 1]!;
          }
          // In slices, so the legs never run further apart than the analyzer's skew allowance.
          for (let at = 0; at < frames; at += SLICE_FRAMES) {
            const end = Math.min(frames, at + SLICE_FRAMES);
            analyzer.push(0, left.subarray(at, end));
            analyzer.push(1, right.subarray(at, end));
          }
        }
        opts.onProgress?.(analyzer.durationS, totalS);
      }
    }
    analyzer.finish();
  } finally {
    analyzer.dispose();
  }
  return { file: path, durationS: Math.round(analyzer.durationS * 1000) / 1000, sampleRate, legs: analyzer.summary(), events };
}

/** The first `bytes` of a buffer as 16-bit samples (a copy only when the buffer is not 2-byte aligned). */
function int16View(buf: Buffer, bytes: number): Int16Array {
  if (buf.byteOffset % 2 === 0) return new Int16Array(buf.buffer, buf.byteOffset, bytes / 2);
  const copy = new Int16Array(bytes / 2);
  new Uint8Array(copy.buffer).set(buf.subarray(0, bytes));
  return copy;
}

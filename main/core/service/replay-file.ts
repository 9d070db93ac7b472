import { rm } from 'node:fs/promises';
import { CodedError, describeError } from '../common/coded-error.ts';
import { SLIN16, byteRate, type RecordingInfo } from '../audio/wav-format.ts';
import { WavWriter } from '../audio/wav-writer.ts';

/**
 * One second per write: the writer drops whatever would take its queue over its limit (10 s), so
 * a ring of up to two minutes goes to the disk in pieces, each flushed before the next is queued.
 */
const PIECE_BYTES = byteRate(SLIN16);

/**
 * Writes instant-replay audio to a new WAV, all of it or nothing: a save that could not write
 * every byte removes its file and throws `replay-save-failed` saying why, so nobody finds a
 * short or empty clip later and takes it for the incident.
 */
export async function writeReplayFile(path: string, audio: Buffer, info: RecordingInfo, what: string): Promise<{ path: string; dataBytes: number; durationMs: number }> {
  let writer: WavWriter;
  try {
    writer = await WavWriter.create(path, { info });
  } catch (err) {
    throw new CodedError('replay-save-failed', `Could not save ${what}: ${(err as Error).message}`, { cause: err });
  }
  for (let off = 0; off < audio.length && !writer.error; off += PIECE_BYTES) {
    if (!writer.write(audio.subarray(off, off + PIECE_BYTES))) break;
    await writer.flush();
  }
  const result = await writer.finish();
  if (result.dataBytes === audio.length && !result.error) return result;
  await rm(path, { force: true }).catch(() => undefined);
  const cause = writer.error?.cause;
  const why = cause !== undefined ? describeError(cause) : (result.error?.message ?? `only ${(result.durationMs / 1000).toFixed(1)} s of ${(audio.length / PIECE_BYTES).toFixed(1)} s reached the file`);
  throw new CodedError('replay-save-failed', `Could not save ${what}: ${why}. Nothing was kept; free some space or choose another recordings folder, then save again.`, { cause });
}

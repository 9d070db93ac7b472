import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../common/coded-error.ts';
import { INFO_COMMENT_PREFIX } from './wav-format.ts';
import { WavError, inspectWav } from './wav-reader.ts';

/** `not-ours`: not written by this app (no Asterisk Tap metadata) or a symlink: never touched. */
export type RepairStatus = 'ok' | 'repaired' | 'unrepairable' | 'not-ours';

export interface RepairReport {
  path: string;
  status: RepairStatus;
  /** Audio bytes the header declared before repair. */
  declaredBytes?: number;
  /** Audio bytes the header declares after repair. */
  dataBytes?: number;
  message: string;
}

/**
 * Fixes a WAV left behind by a crash: its size fields are stale (the writer updates them about
 * once a second), so they are set from what is really on disk. Only files this app wrote (its
 * LIST/INFO: ISFT "Asterisk Tap" or its JSON comment) are touched, never through a symlink; a
 * foreign file (e.g. a WAV with an ID3 tag after its RIFF chunk) is reported and left as it is.
 */
export async function repairWav(path: string): Promise<RepairReport> {
  let layout;
  try {
    layout = await inspectWav(path, { strict: false, noFollow: true });
  } catch (err) {
    if ((err as { cause?: { code?: unknown } }).cause?.code === 'ELOOP') return { path, status: 'not-ours', message: `${path} is a symbolic link; repair never writes through one.` };
    const message = err instanceof WavError ? err.message : describeError(err);
    return { path, status: 'unrepairable', message };
  }
  if (!isOwnRecording(layout.tags)) return { path, status: 'not-ours', message: `${path} was not written by Asterisk Tap (no Asterisk Tap metadata); it is left as it is.` };
  const blockAlign = layout.format.channels * 2;
  const available = Math.floor((layout.fileBytes - layout.dataOffset) / blockAlign) * blockAlign;
  const riffCoversFile = layout.riffSize + 8 === layout.fileBytes;
  const needsShrink = layout.declaredDataBytes > available;
  const needsGrow = !riffCoversFile && layout.declaredDataBytes < available;
  if (!needsShrink && !needsGrow) {
    return { path, status: 'ok', declaredBytes: layout.declaredDataBytes, dataBytes: layout.declaredDataBytes, message: `${path} is intact.` };
  }
  const handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW);
  try {
    const field = Buffer.alloc(4);
    field.writeUInt32LE(layout.dataOffset - 8 + available, 0);
    await handle.write(field, 0, 4, 4);
    field.writeUInt32LE(available, 0);
    await handle.write(field, 0, 4, layout.dataOffset - 4);
    // Drop a trailing half sample so the file is exactly header + whole frames.
    await handle.truncate(layout.dataOffset + available);
  } finally {
    await handle.close();
  }
  const seconds = (available / (layout.format.sampleRate * blockAlign)).toFixed(2);
  return {
    path,
    status: 'repaired',
    declaredBytes: layout.declaredDataBytes,
    dataBytes: available,
    message: `${path} was left unfinished (by a crash or a kill); its header now covers the ${seconds} s of audio that reached the disk.`,
  };
}

/** The app's own LIST/INFO marks (see encodeInfoChunk). */
function isOwnRecording(tags: Record<string, string>): boolean {
  return tags['ISFT'] === 'Asterisk Tap' || (tags['ICMT'] ?? '').startsWith(INFO_COMMENT_PREFIX);
}

/** Repairs every .wav directly inside `dir` (run at start); a missing folder is not an error. */
export async function repairRecordingsIn(dir: string): Promise<RepairReport[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const reports: RepairReport[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.wav')).sort()) {
    const path = join(dir, name);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isSymbolicLink()) reports.push({ path, status: 'not-ours', message: `${path} is a symbolic link; repair never writes through one.` });
    else if (st?.isFile()) reports.push(await repairWav(path));
  }
  return reports;
}

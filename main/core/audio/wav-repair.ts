import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../common/coded-error.ts';
import { WavError, inspectWav } from './wav-reader.ts';

export type RepairStatus = 'ok' | 'repaired' | 'unrepairable';

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
 * once a second), so they are set from what is really on disk. A file whose RIFF size covers the
 * whole file is left alone even if chunks follow the audio, as valid foreign files do.
 */
export async function repairWav(path: string): Promise<RepairReport> {
  let layout;
  try {
    layout = await inspectWav(path, { strict: false });
  } catch (err) {
    const message = err instanceof WavError ? err.message : describeError(err);
    return { path, status: 'unrepairable', message };
  }
  const blockAlign = layout.format.channels * 2;
  const available = Math.floor((layout.fileBytes - layout.dataOffset) / blockAlign) * blockAlign;
  const riffCoversFile = layout.riffSize + 8 === layout.fileBytes;
  const needsShrink = layout.declaredDataBytes > available;
  const needsGrow = !riffCoversFile && layout.declaredDataBytes < available;
  if (!needsShrink && !needsGrow) {
    return { path, status: 'ok', declaredBytes: layout.declaredDataBytes, dataBytes: layout.declaredDataBytes, message: `${path} is intact.` };
  }
  const handle = await open(path, 'r+');
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
    reports.push(await repairWav(join(dir, name)));
  }
  return reports;
}

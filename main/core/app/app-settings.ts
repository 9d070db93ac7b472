import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { readSmallFile, writeFileAtomic } from '../common/safe-write.ts';
import { isAbsolute, join, resolve } from 'node:path';
import { CodedError, describeError } from '../common/coded-error.ts';
import type { NetworkThresholds } from '../../../preload/contract.ts';
import { parseNetworkThresholds } from '../network/network-figures.ts';

/** Settings of the app that are not endpoints: kept in `settings.json` beside the endpoint file. */
export interface AppSettings {
  recordingsDir?: string;
  /** Where Asterisk's RTP figures raise `network` findings (edit the file; bad values keep the defaults). */
  networkThresholds?: NetworkThresholds;
}

/** Reads settings; a missing or damaged file means defaults (it holds nothing that cannot be chosen again). */
export async function readSettings(configDir: string): Promise<AppSettings> {
  try {
    const raw = JSON.parse(await readSmallFile(join(configDir, 'settings.json'), 1024 * 1024)) as Record<string, unknown>;
    return {
      ...(typeof raw['recordingsDir'] === 'string' && isAbsolute(raw['recordingsDir']) ? { recordingsDir: raw['recordingsDir'] } : {}),
      ...(raw['networkThresholds'] !== undefined ? { networkThresholds: parseNetworkThresholds(raw['networkThresholds']) } : {}),
    };
  } catch {
    return {};
  }
}

/** Writes settings atomically (write, then rename). */
export async function writeSettings(configDir: string, settings: AppSettings): Promise<void> {
  await mkdir(configDir, { recursive: true });
  const path = join(configDir, 'settings.json');
  await writeFileAtomic(path, JSON.stringify(settings, null, 2));
}

/**
 * Checks that a folder can hold recordings before the app records there: an absolute path,
 * created if missing, and writable (a file is written and removed). Returns the normalised path.
 */
export async function checkRecordingsFolder(path: string): Promise<string> {
  if (!isAbsolute(path)) throw new CodedError('recordings-folder', `"${path}" is not a full path: give the whole path of the folder, e.g. /home/you/recordings.`);
  const dir = resolve(path);
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const probe = join(dir, `.asterisk-tap-write-test-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    throw new CodedError('recordings-folder', `Recordings cannot go to ${dir}: ${describeError(err)}.`, { cause: err });
  }
  return dir;
}

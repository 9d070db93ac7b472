import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, rmSync, statSync, writeSync, readSync, fstatSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { CodedError } from './coded-error.ts';

// O_EXCL with O_CREAT refuses any existing name, a symlink included; O_NOFOLLOW says so twice.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const tmpName = (path: string): string => `${path}.${randomBytes(6).toString('hex')}.tmp`;

/**
 * Replaces `path` atomically without ever writing through a symlink: the data goes to a new
 * temporary file beside it, which is then renamed over `path` (a rename replaces a symlink
 * itself, never its target). A crash leaves the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o644): Promise<void> {
  const tmp = tmpName(path);
  const handle = await open(tmp, CREATE_NEW, mode);
  try {
    await handle.writeFile(data);
    await handle.close();
    await rename(tmp, path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/** {@link writeFileAtomic} for start-up and stores that are synchronous. */
export function writeFileAtomicSync(path: string, data: string, mode = 0o644): void {
  const tmp = tmpName(path);
  const fd = openSync(tmp, CREATE_NEW, mode);
  try {
    writeSync(fd, data);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Thrown when a file the app reads whole is larger than it can plausibly be. */
export class FileTooLargeError extends CodedError<'file-too-large'> {
  readonly bytes: number;
  constructor(path: string, bytes: number, max: number) {
    super('file-too-large', `${path} is ${(bytes / 1048576).toFixed(1)} MB, more than the ${Math.round(max / 1048576)} MB such a file can hold; it was not read.`);
    this.bytes = bytes;
  }
}

/** Reads a small text file whole (a store, settings), refusing one over `max` bytes before reading it. */
export function readSmallFileSync(path: string, max: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
    if (st.size > max) throw new FileTooLargeError(path, st.size, max);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    closeSync(fd);
  }
}

/** The size of a file, or undefined when there is none. */
export function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** {@link readSmallFileSync}, asynchronous: sidecars (markers, peaks) and settings. */
export async function readSmallFile(path: string, max: number): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
    if (st.size > max) throw new FileTooLargeError(path, st.size, max);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Renames a file over `max` bytes aside unread (before a library loads it whole); returns the notice. */
export function setAsideIfTooLarge(path: string, max: number, what: string): string | undefined {
  const size = sizeOf(path);
  if (size === undefined || size <= max) return undefined;
  const aside = `${path}.too-large-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  return `The ${what} ${path} is ${(size / 1048576).toFixed(1)} MB, more than the ${Math.round(max / 1048576)} MB it can take; it was not read and was kept as ${aside}.`;
}

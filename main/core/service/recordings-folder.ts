import { lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { fileStamp } from '../common/file-names.ts';
import { basename, extname, join } from 'node:path';
import type { RecordingEntry } from '../../../preload/contract.ts';
import { CodedError } from '../common/coded-error.ts';
import { mapLimit } from '../common/map-limit.ts';
import { WavError, inspectWav, type WavLayout } from '../audio/wav-reader.ts';

/** Where "delete" puts files in the web host (the desktop app uses the OS trash instead). */
export const TRASH_DIR = '.trash';

/**
 * The recordings folder as the Recordings view sees it: every .wav with what its header says;
 * a file that cannot be read is listed as damaged, never fatal.
 */
export class RecordingsFolder {
  readonly dir: string;
  private readonly repaired: Set<string>;
  private readonly trash: ((path: string) => Promise<void>) | undefined;

  constructor(dir: string, opts: { repaired?: Iterable<string>; trash?: (path: string) => Promise<void> } = {}) {
    this.dir = dir;
    this.repaired = new Set(opts.repaired ?? []);
    this.trash = opts.trash;
  }

  async list(): Promise<RecordingEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.toLowerCase().endsWith('.wav'));
    } catch {
      return [];
    }
    // A few headers at a time: a folder of thousands of files costs a few small reads in flight.
    const entries = await mapLimit(names, 8, (name) => this.entryAt(name, join(this.dir, name)));
    return entries.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.name.localeCompare(b.name));
  }

  /** One recording as the list shows it (for the review editor, without reading the whole folder). */
  entry(name: string, layout?: WavLayout): Promise<RecordingEntry> {
    return this.entryAt(name, this.resolve(name), layout);
  }

  /** What a file's header says; a file that cannot be read is an entry marked damaged, never an error. */
  private async entryAt(name: string, path: string, layout?: WavLayout): Promise<RecordingEntry> {
    const bytes = (await lstat(path).catch(() => ({ size: 0 }))).size;
    const base: RecordingEntry = { name, bytes, durationMs: 0, startedAt: null, channel: null, endpoint: null, channels: 1, repaired: this.repaired.has(path) };
    try {
      const w = layout ?? (await inspectWav(path, { strict: true, noFollow: true }));
      return { ...base, durationMs: w.durationMs, startedAt: w.info.startedAt ?? null, channel: w.info.channel ?? null, endpoint: w.info.endpoint ?? null, channels: w.format.channels, ...(w.info.note ? { note: w.info.note } : {}) };
    } catch (err) {
      return { ...base, damaged: err instanceof WavError ? err.message : String(err) };
    }
  }

  /** Only plain file names inside the folder: a request cannot reach outside it. */
  resolve(name: string): string {
    if (name !== basename(name) || name.startsWith('.') || !name.toLowerCase().endsWith('.wav')) {
      throw new CodedError('recording-name', `"${name}" is not a recording name (a .wav file in the recordings folder).`);
    }
    return join(this.dir, name);
  }

  async rename(name: string, newName: string): Promise<void> {
    const target = newName.toLowerCase().endsWith('.wav') ? newName : `${newName}.wav`;
    if (/[\\/\0]/.test(target) || target.length > 200) throw new CodedError('recording-name', 'A recording name cannot contain slashes and is at most 200 characters.');
    const from = this.resolve(name);
    const to = this.resolve(target);
    if (await stat(to).then(() => true, () => false)) throw new CodedError('recording-exists', `A recording named "${target}" already exists.`);
    await rename(from, to);
    for (const side of ['.markers.json', '.peaks.json']) await rename(from + side, to + side).catch(() => undefined);
  }

  /** Moves a recording to the trash (the OS trash in the desktop app, a .trash folder otherwise). */
  async delete(name: string): Promise<void> {
    const path = this.resolve(name);
    if (this.trash) return this.trash(path);
    await mkdir(join(this.dir, TRASH_DIR), { recursive: true });
    const stamp = fileStamp();
    await rename(path, join(this.dir, TRASH_DIR, `${basename(name, extname(name))}-${stamp}.wav`));
    await rename(`${path}.markers.json`, join(this.dir, TRASH_DIR, `${basename(name, extname(name))}-${stamp}.wav.markers.json`)).catch(() => undefined);
    // The peaks cache is only a cache: it goes.
    await rm(`${path}.peaks.json`, { force: true });
  }
}

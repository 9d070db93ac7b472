import { lstat, mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportClip, ExportJobView, RecordingDetail, ReviewMarker } from '../../../preload/contract.ts';
import { CodedError } from '../common/coded-error.ts';
import type { Disposable } from '../common/disposable.ts';
import { loadPeaks } from '../audio/wav-peaks.ts';
import { inspectWav } from '../audio/wav-reader.ts';
import { ExportJobs, type ChooseDestinations } from './export-jobs.ts';
import { audioUrlOf, exportUrlOf, recordingResource, spectrogramUrlOf, type HttpResource } from './recording-resources.ts';
import { RecordingsFolder } from './recordings-folder.ts';
import { readMarkers } from './review-markers.ts';
import { saveUserMarkers } from './recording-findings.ts';

/** Where the web host keeps finished exports until the browser downloads them (emptied at start). */
export const EXPORTS_DIR = '.exports';

export interface RecordingsServiceOptions {
  dir: string;
  repaired: Iterable<string>;
  /** Moves a file to the OS trash (desktop app); otherwise a .trash folder. */
  trash?: (path: string) => Promise<void>;
  /** Asks where exports go (desktop app: a save dialog); otherwise files the web host serves for download. */
  chooseExportDestinations?: ChooseDestinations;
  /** Shows a file in the OS file manager (desktop app only). */
  reveal?: (path: string) => Promise<void>;
  onExportProgress: (job: ExportJobView) => void;
}

const JOB_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isDir = async (path: string): Promise<boolean> => (await lstat(path).catch(() => undefined))?.isDirectory() === true;

async function removeOwnExports(exportsDir: string): Promise<void> {
  if (!(await isDir(exportsDir))) return;
  for (const job of await readdir(exportsDir)) {
    const jobDir = join(exportsDir, job);
    if (!JOB_DIR.test(job) || !(await isDir(jobDir))) continue;
    for (const name of await readdir(jobDir)) {
      const path = join(jobDir, name);
      if (!/\.wav(\.part)?$/i.test(name) || !(await lstat(path).catch(() => undefined))?.isFile()) continue;
      await rm(path, { force: true });
    }
    // Only when nothing else is left in it.
    await rmdir(jobDir).catch(() => undefined);
  }
  await rmdir(exportsDir).catch(() => undefined);
}

/**
 * Everything the Recordings view and the review editor ask of the recordings folder: the list,
 * rename and delete, peaks and markers for review, clip exports, and the HTTP resources
 * (audio by range, spectrograms, downloads) both hosts serve.
 */
export class RecordingsService implements Disposable {
  readonly folder: RecordingsFolder;
  private readonly opts: RecordingsServiceOptions;
  private readonly exportsDir: string;
  private readonly jobs: ExportJobs;

  constructor(opts: RecordingsServiceOptions) {
    this.opts = opts;
    this.folder = new RecordingsFolder(opts.dir, { repaired: opts.repaired, ...(opts.trash ? { trash: opts.trash } : {}) });
    this.exportsDir = join(opts.dir, EXPORTS_DIR);
    this.jobs = new ExportJobs(opts.chooseExportDestinations ?? ((jobId, names) => this.downloadDestinations(jobId, names)), opts.onExportProgress);
  }

  /**
   * Downloads of an earlier run are gone from the browser's point of view: their files go. Only
   * what the app made there is removed (job folders named by a UUID, holding `.wav` and
   * `.wav.part` files); anything else, and anything behind a symlink, stays.
   */
  async init(): Promise<void> {
    await removeOwnExports(this.exportsDir);
  }

  private async downloadDestinations(jobId: string, names: string[]): Promise<{ path: string; downloadUrl: string }[]> {
    const dir = join(this.exportsDir, jobId);
    await mkdir(dir, { recursive: true });
    return names.map((n) => ({ path: join(dir, n), downloadUrl: exportUrlOf(jobId, n) }));
  }

  async open(name: string): Promise<RecordingDetail> {
    const path = this.folder.resolve(name);
    const layout = await inspectWav(path, { strict: true });
    const [entry, peaks, markers] = await Promise.all([this.folder.entry(name, layout), loadPeaks(path, layout), readMarkers(path)]);
    return {
      entry,
      sampleRate: layout.format.sampleRate,
      audioUrl: audioUrlOf(name),
      spectrogramUrl: spectrogramUrlOf(name),
      peaks: { peaksPerSecond: peaks.peaksPerSecond, scale: peaks.scale, data: peaks.data, cached: peaks.cached },
      markers,
    };
  }

  async saveMarkers(name: string, markers: ReviewMarker[]): Promise<void> {
    const path = this.folder.resolve(name);
    await inspectWav(path, { strict: false });
    await saveUserMarkers(path, markers);
  }

  export(name: string, clips: ExportClip[]): Promise<ExportJobView | null> {
    return this.jobs.start(this.folder.resolve(name), clips);
  }

  cancelExport(jobId: string): void {
    this.jobs.cancel(jobId);
  }

  async reveal(name: string): Promise<void> {
    const path = this.folder.resolve(name);
    if (!this.opts.reveal) throw new CodedError('reveal-unavailable', `Showing files needs the desktop app; this recording is ${path}.`);
    await this.opts.reveal(path);
  }

  /** The HTTP side (see {@link recordingResource}). */
  resource(pathname: string, range: string | undefined): Promise<HttpResource | undefined> {
    return recordingResource(this.folder, this.exportsDir, pathname, range);
  }

  dispose(): void {
    this.jobs.dispose();
  }
}

import { randomUUID } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { ExportClip, ExportJobView } from '../../../preload/contract.ts';
import { CodedError } from '../common/coded-error.ts';
import type { Disposable } from '../common/disposable.ts';
import { inspectWav } from '../audio/wav-reader.ts';
import { selectionFrames, sliceWav } from '../audio/wav-slice.ts';

/** Where one clip goes, and (web host) the URL that downloads it. */
export interface ExportDestination {
  path: string;
  downloadUrl?: string;
}

/** Asks where clips go (a save dialog, or a folder the web host serves); undefined = cancelled. */
export type ChooseDestinations = (jobId: string, suggestedNames: string[]) => Promise<ExportDestination[] | undefined>;

/** A file name from a label: what a person typed, minus what file systems refuse. */
export function clipFileName(source: string, clip: ExportClip, index: number): string {
  const base = basename(source, extname(source));
  // Characters file systems refuse, and control characters, become spaces.
  const label = [...(clip.label ?? '')].map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? ' ' : c)).join('').replace(/\s+/g, ' ').trim().slice(0, 80);
  const at = (ms: number): string => `${Math.floor(ms / 60_000)}m${((ms % 60_000) / 1000).toFixed(1).padStart(4, '0')}s`;
  return label ? `${base}-${label}.wav` : `${base}-clip${index + 1}-${at(Math.min(clip.startMs, clip.endMs))}.wav`;
}

/** Makes names unique within one export ("x.wav", "x-2.wav", ...). */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const key = n.toLowerCase();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? n : `${basename(n, '.wav')}-${count}.wav`;
  });
}

const fmt = (ms: number): string => `${Math.floor(ms / 60_000)}:${((ms % 60_000) / 1000).toFixed(2).padStart(5, '0')}`;

/**
 * Runs exports one clip after another, reporting progress at most ten times a second, with
 * cancel. Each file carries the source's metadata with its own start time and a note naming the
 * source and the span.
 */
export class ExportJobs implements Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly choose: ChooseDestinations;
  private readonly report: (job: ExportJobView) => void;

  constructor(choose: ChooseDestinations, report: (job: ExportJobView) => void) {
    this.choose = choose;
    this.report = report;
  }

  /** Starts an export; resolves once it is under way (or null when the user cancelled the dialog). */
  async start(sourcePath: string, clips: ExportClip[]): Promise<ExportJobView | null> {
    const layout = await inspectWav(sourcePath, { strict: true });
    const frames = layout.dataBytes / (layout.format.channels * 2);
    const ranges = clips.map((c) => selectionFrames(frames, layout.format.sampleRate, c.startMs, c.endMs));
    const jobId = randomUUID();
    const source = basename(sourcePath);
    const destinations = await this.choose(jobId, uniqueNames(clips.map((c, i) => clipFileName(source, c, i))));
    if (!destinations) return null;
    if (destinations.length !== clips.length) throw new CodedError('export-target', 'The export needs one file per clip.');
    const block = layout.format.channels * 2;
    const job: ExportJobView = { jobId, source, state: 'running', doneBytes: 0, totalBytes: ranges.reduce((s, r) => s + (r.endFrame - r.startFrame) * block, 0), files: [], message: null };
    const abort = new AbortController();
    this.running.set(jobId, abort);
    void this.run(job, { path: sourcePath, layout }, ranges, clips, destinations, abort.signal).finally(() => this.running.delete(jobId));
    return { ...job };
  }

  cancel(jobId: string): void {
    this.running.get(jobId)?.abort();
  }

  private async run(job: ExportJobView, source: { path: string; layout: Awaited<ReturnType<typeof inspectWav>> }, ranges: { startFrame: number; endFrame: number }[], clips: ExportClip[], dest: ExportDestination[], signal: AbortSignal): Promise<void> {
    const rate = source.layout.format.sampleRate;
    const started = source.layout.info.startedAt ? Date.parse(source.layout.info.startedAt) : NaN;
    let lastReport = 0;
    let before = 0;
    try {
      for (const [i, range] of ranges.entries()) {
        const startMs = (range.startFrame / rate) * 1000;
        const endMs = (range.endFrame / rate) * 1000;
        const label = clips[i]!.label?.trim();
        const info = {
          ...source.layout.info,
          ...(Number.isFinite(started) ? { startedAt: new Date(started + startMs).toISOString() } : {}),
          note: `clip${label ? ` "${label}"` : ''} of ${job.source} from ${fmt(startMs)} to ${fmt(endMs)}`,
        };
        const result = await sliceWav(source, range, dest[i]!.path, {
          info,
          signal,
          onProgress: (bytes) => {
            job.doneBytes = before + bytes;
            const now = Date.now();
            if (now - lastReport >= 100) {
              lastReport = now;
              this.report({ ...job, files: [...job.files] });
            }
          },
        });
        before += result.dataBytes;
        job.doneBytes = before;
        job.files.push({ name: basename(result.path), path: result.path, durationMs: result.durationMs, ...(dest[i]!.downloadUrl ? { downloadUrl: dest[i]!.downloadUrl } : {}) });
      }
      job.state = 'done';
      job.message = `Exported ${job.files.length} clip${job.files.length === 1 ? '' : 's'} from ${job.source}.`;
    } catch (err) {
      job.state = signal.aborted ? 'cancelled' : 'failed';
      job.message = signal.aborted ? `Export cancelled: ${job.files.length} of ${ranges.length} clips were written before.` : err instanceof Error ? err.message : String(err);
    }
    this.report({ ...job, files: [...job.files] });
  }

  dispose(): void {
    for (const a of this.running.values()) a.abort();
  }
}

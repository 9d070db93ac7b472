import type { ExportJobView, TapBridge } from '../../preload/contract.ts';
import { formatBytes, h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';

/** How long the line of a finished export stays up. */
const DONE_SHOWN_MS = 4000;

/**
 * The progress bar of a running export, with Cancel; when done, files the web host prepared are
 * handed to the browser as downloads (the desktop app already wrote them where the user chose).
 */
export class ExportProgress {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private readonly bridge: TapBridge;
  private jobId: string | undefined;
  private readonly dismiss: HTMLButtonElement;
  private hideTimer: number | undefined;
  private readonly unsubscribe: () => void;
  private readonly notify: (message: string, level?: 'info' | 'error') => void;

  constructor(bridge: TapBridge, notify: (message: string, level?: 'info' | 'error') => void) {
    this.bridge = bridge;
    this.notify = notify;
    this.bar = h('progress', { max: 1, value: 0, 'aria-label': 'Export progress' });
    this.text = h('span', { class: 'export-text', role: 'status' });
    this.cancel = h('button', { class: 'small', 'data-action': 'cancel-export', onclick: () => this.jobId && void this.bridge.invoke('recordings:cancelExport', { jobId: this.jobId }) }, 'Cancel');
    this.dismiss = h('button', { class: 'small', 'data-action': 'dismiss-export', title: 'Hide this message', 'aria-label': 'Hide this message', hidden: true, onclick: () => this.hide() }, '✕');
    this.element = h('div', { class: 'export-progress', hidden: true }, this.bar, this.text, this.cancel, this.dismiss);
    this.unsubscribe = bridge.on('export:progress', (job) => job.jobId === this.jobId && this.show(job));
  }

  get busy(): boolean {
    return this.jobId !== undefined;
  }

  /** Starts tracking a job the core accepted. */
  track(job: ExportJobView): void {
    this.jobId = job.jobId;
    window.clearTimeout(this.hideTimer);
    this.show(job);
  }

  private show(job: ExportJobView): void {
    this.element.hidden = false;
    this.element.dataset['state'] = job.state;
    this.bar.value = job.totalBytes > 0 ? job.doneBytes / job.totalBytes : 1;
    this.cancel.hidden = job.state !== 'running';
    setChildren(this.text, job.state === 'running' ? `Exporting… ${formatBytes(job.doneBytes)} of ${formatBytes(job.totalBytes)}` : (job.message ?? job.state));
    this.dismiss.hidden = job.state === 'running';
    if (job.state === 'running') return;
    this.jobId = undefined;
    // A finished export's line goes away by itself (the Output panel keeps what it said); a failure stays until dismissed.
    if (job.state !== 'failed') this.hideTimer = window.setTimeout(() => this.hide(), DONE_SHOWN_MS);
    if (job.state === 'done') {
      for (const f of job.files) if (f.downloadUrl) this.download(f.downloadUrl, f.name);
      this.notify(`${job.message ?? 'Exported.'} ${job.files.map((f) => (f.downloadUrl ? f.name : f.path)).join(', ')}`);
    } else this.notify(job.message ?? `Export ${job.state}.`, job.state === 'failed' ? 'error' : 'info');
  }

  private download(url: string, name: string): void {
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  }

  private hide(): void {
    window.clearTimeout(this.hideTimer);
    this.element.hidden = true;
  }

  failed(err: unknown): void {
    window.clearTimeout(this.hideTimer);
    this.dismiss.hidden = false;
    this.element.hidden = false;
    this.element.dataset['state'] = 'failed';
    this.cancel.hidden = true;
    setChildren(this.text, errorMessage(err));
  }

  dispose(): void {
    window.clearTimeout(this.hideTimer);
    this.unsubscribe();
  }
}

import type { EndpointView, LogEntry, TapStatsView, TapView } from '../../preload/contract.ts';
import { TypedEmitter } from '../common/typed-emitter.ts';
import { FindingsState } from './findings-state.ts';

/** What the parts of the workbench share; each part listens for the changes it shows. */
export class AppState {
  readonly changes = new TypedEmitter<{
    endpoints: () => void;
    taps: () => void;
    stats: (tapId: string) => void;
    log: (entry: LogEntry) => void;
    selection: () => void;
    connection: () => void;
  }>();
  endpoints: EndpointView[] = [];
  /** The endpoint the Channels view shows. */
  selectedEndpointId: string | undefined;
  readonly taps = new Map<string, TapView>();
  readonly stats = new Map<string, { legs: TapStatsView[]; recordingMs: number | null; recordingBytes: number | null }>();
  readonly log: LogEntry[] = [];
  /** Findings and network figures of the taps (Problems panel, badges, strips). */
  readonly health = new FindingsState();
  hostConnected = true;
  /** Which host runs the core: some actions (reveal in the file manager) exist only in the desktop app. */
  host: 'electron' | 'web' = 'web';
  /** Where recordings go (and what the Recordings view lists). */
  recordingsDir = '';
  /** What the last ARI refresh of the selected endpoint said ("" before one). */
  endpointStatus: { ok: boolean; text: string } = { ok: true, text: '' };

  setEndpoints(list: EndpointView[]): void {
    this.endpoints = list;
    if (!list.some((e) => e.id === this.selectedEndpointId)) this.selectedEndpointId = list[0]?.id;
    this.changes.emit('endpoints');
  }

  upsertTap(tap: TapView): void {
    this.taps.set(tap.id, tap);
    this.changes.emit('taps');
  }

  addLog(entry: LogEntry): void {
    this.log.push(entry);
    // The panel keeps the last 2000 lines: enough for a session, bounded for a long one.
    if (this.log.length > 2000) this.log.splice(0, this.log.length - 2000);
    this.changes.emit('log', entry);
  }

  info(message: string, level: LogEntry['level'] = 'info'): void {
    this.addLog({ at: new Date().toISOString(), level, message });
  }

  /** Taps the user stopped whose calls have not ended yet (sockets still draining). */
  detachedTaps(): TapView[] {
    return [...this.taps.values()].filter((t) => t.detached && t.legs.some((l) => l.state !== 'ended' && l.state !== 'failed'));
  }

  openTaps(): TapView[] {
    return [...this.taps.values()].filter((t) => !t.detached);
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AppInfo, CommandInfo, EventChannel, EventMap, InvokeChannel, InvokeMap, TapView } from '../../../preload/contract.ts';
import { CodedError } from '../common/coded-error.ts';
import type { Disposable } from '../common/disposable.ts';
import { AriClient } from '../ari/ari-client.ts';
import { repairRecordingsIn } from '../audio/wav-repair.ts';
import type { EndpointStore } from '../endpoints/endpoint-store.ts';
import { AriAppInstance, removeLeftovers } from '../ari/ari-app-instance.ts';
import { createTransport, planLegs, resolveTransport } from '../tap/create-transport.ts';
import { TRANSPORT_TRAITS, type TapTransport } from '../tap/tap-transport.ts';
import { TapSession } from './tap-session.ts';
import { RecordingsService } from './recordings-service.ts';
import { EndpointsService, type DemoEndpoint } from './endpoints-service.ts';
export { toBridgeError } from './bridge-error.ts';
export { DEMO_ENDPOINT_ID, type DemoEndpoint } from './endpoints-service.ts';
import { DEMO_ENDPOINT_ID } from './endpoints-service.ts';
import { checkRecordingsFolder } from '../app/app-settings.ts';
import type { ChooseDestinations } from './export-jobs.ts';
import type { HttpResource } from './recording-resources.ts';
import { validateRequest } from './request-validation.ts';
import type { FindingView, NetworkThresholds } from '../../../preload/contract.ts';
import { LiveDiagnostics } from './live-diagnostics.ts';
import { analyzeRecording, withFindingCounts } from './recording-findings.ts';
import { NetworkService } from '../network/network-service.ts';
import { DEFAULT_NETWORK_THRESHOLDS } from '../network/network-figures.ts';

/** Where events and PCM go: one per connected window or browser tab. */
export interface ServiceSink {
  event<C extends EventChannel>(channel: C, payload: EventMap[C]): void;
  pcm(tapNumber: number, leg: number, wallClockMs: number, data: Buffer): void;
}

export interface TapServiceOptions {
  store: EndpointStore;
  recordingsDir: string;
  host: 'electron' | 'web';
  version: string;
  demo?: DemoEndpoint;
  notices?: string[];
  /** Moves a file to the OS trash (Electron); the web host uses a .trash folder. */
  trash?: (path: string) => Promise<void>;
  /** Asks where exports go (desktop app: a save dialog); the web host serves them as downloads. */
  chooseExportDestinations?: ChooseDestinations;
  /** Shows a file in the OS file manager (desktop app). */
  reveal?: (path: string) => Promise<void>;
  /** Keeps the recordings folder the user chose (settings.json); the CLI's --recordings-dir only applies to its run. */
  saveRecordingsDir?: (dir: string) => Promise<void>;
  /** Asks for a folder (desktop app: a dialog); undefined when the user cancelled. */
  chooseFolder?: (current: string) => Promise<string | undefined>;
  /** The Electron shell builds its menu from these; the web host has no menu. */
  onCommands?: (commands: CommandInfo[]) => void;
  /** Where RTP figures raise `network` findings (settings.json `networkThresholds`; defaults 2 %, 30 ms, 300 ms). */
  networkThresholds?: NetworkThresholds;
  /** How often ARI's rtp_statistics is polled per tapped channel (default 2000 ms). */
  rtpPollMs?: number;
}

/**
 * The one implementation of the contract's invoke map over the core. Both hosts (Electron IPC
 * and the web host's socket) route requests here and fan events and PCM out to their sinks.
 */
export class TapService implements Disposable {
  private readonly opts: TapServiceOptions;
  private readonly sinks = new Set<ServiceSink>();
  private readonly taps = new Map<string, TapSession>();
  private nextTapNumber = 1;
  private readonly repairedFiles: string[] = [];
  private recordingsService: RecordingsService | undefined;
  private readonly statsTimer: NodeJS.Timeout;
  private readonly eps: EndpointsService;
  private readonly network: NetworkService;
  /** Sockets endpoint tests left draining (until the server closes them), by endpoint. */
  private readonly testSockets = new Map<TapTransport, string>();
  /** This running app on ARI: its own Stasis app name and events sockets, so instances never clash. */
  readonly ariInstance = new AriAppInstance();
  /** Settles when the start-up sweep for leftovers (objects of app instances that are gone) is done. */
  leftoversSwept: Promise<void> = Promise.resolve();

  constructor(opts: TapServiceOptions) {
    this.opts = opts;
    this.eps = new EndpointsService(opts.store, opts.demo, (client, endpointId) => this.trackTest(client, endpointId), this.ariInstance);
    this.network = new NetworkService({
      thresholds: opts.networkThresholds ?? DEFAULT_NETWORK_THRESHOLDS,
      ...(opts.rtpPollMs ? { pollMs: opts.rtpPollMs } : {}),
      onView: (v) => {
        this.taps.get(v.tapId)?.findings.noteNetwork(v);
        this.broadcast('tap:network', v);
      },
      onFinding: (f) => this.finding(f),
    });
    // Stats go out 4 times a second; PCM is batched by each tap as it arrives.
    this.statsTimer = setInterval(() => this.sendStats(), 250);
  }

  /** Repairs what a crash left in the recordings folder; returns notices for the UI. */
  async init(): Promise<void> {
    // Objects that app instances now gone (a crash, a kill) left on a PBX are removed, in the
    // background; a live instance's taps (another window, a colleague) are left alone.
    const sweeps: Promise<unknown>[] = [];
    for (const ep of this.eps.all()) {
      const ari = this.eps.ariOptions(ep);
      if (!ari || ep.transport === 'stream-channel') continue;
      sweeps.push(removeLeftovers(new AriClient(ari), this.ariInstance).then(
        (n) => n > 0 && this.log('info', `Removed ${n} objects that a stopped Asterisk Tap left on ${ep.name}.`),
        () => undefined,
      ));
    }
    this.leftoversSwept = Promise.all(sweeps).then(() => undefined);
    await this.openRecordingsFolder();
  }

  /** Makes the folder, repairs what a crash left in it (with a notice), empties its download area. */
  private async openRecordingsFolder(): Promise<void> {
    await mkdir(this.opts.recordingsDir, { recursive: true });
    for (const r of await repairRecordingsIn(this.opts.recordingsDir)) {
      if (r.status !== 'repaired') continue;
      (this.opts.notices ??= []).push(r.message);
      this.repairedFiles.push(r.path);
    }
    await this.recordings().init();
  }

  addSink(sink: ServiceSink): Disposable {
    this.sinks.add(sink);
    return { dispose: () => this.sinks.delete(sink) };
  }

  /** Validates and runs one request; errors come back as {@link BridgeError} via the thrown value. */
  async handle<C extends InvokeChannel>(channel: C, rawReq: unknown): Promise<InvokeMap[C]['res']> {
    const req = validateRequest(channel, rawReq);
    const handlers: { [K in InvokeChannel]: (r: InvokeMap[K]['req']) => Promise<InvokeMap[K]['res']> | InvokeMap[K]['res'] } = {
      'app:info': () => this.info(),
      'endpoints:list': () => this.eps.endpoints(),
      'endpoints:save': (r) => this.endpointsChanged(this.eps.save(r)),
      'endpoints:delete': (r) => this.endpointsChanged(this.eps.remove(r.id)),
      'endpoints:duplicate': (r) => this.endpointsChanged(this.eps.duplicate(r.id)),
      'endpoints:test': (r) => this.eps.test(r.id, r.channel),
      'channels:list': (r) => this.eps.channels(r.endpointId),
      'tap:open': (r) => this.open(r.endpointId, r.channels, r.title),
      'tap:stop': async (r) => {
        await this.tap(r.tapId).stop();
      },
      'tap:record': async (r) => {
        const tap = this.tap(r.tapId);
        await tap.setRecording(r.on, r.mode);
        return tap.view();
      },
      'tap:marker': (r) => ({ atMs: this.tap(r.tapId).mark(r.label ?? `Marker ${new Date().toLocaleTimeString()}`) }),
      'recordings:list': async () => withFindingCounts(await this.recordings().folder.list(), (n) => this.recordings().folder.resolve(n)),
      'recordings:analyze': (r) => {
        let last = 0;
        return analyzeRecording(this.recordings().folder.resolve(r.name), (doneS, totalS) => {
          // At most a few progress events a second, whatever the file's length.
          if (Date.now() - last < 200) return;
          last = Date.now();
          this.broadcast('recordings:analyzeProgress', { name: r.name, doneS, totalS });
        });
      },
      'recordings:rename': (r) => this.recordings().folder.rename(r.name, r.newName),
      'recordings:delete': (r) => this.recordings().folder.delete(r.name),
      'recordings:open': (r) => this.recordings().open(r.name),
      'recordings:saveMarkers': (r) => this.recordings().saveMarkers(r.name, r.markers),
      'recordings:export': (r) => this.recordings().export(r.name, r.clips),
      'recordings:cancelExport': (r) => this.recordings().cancelExport(r.jobId),
      'recordings:reveal': (r) => this.recordings().reveal(r.name),
      'recordings:setFolder': (r) => this.setRecordingsDir(r.path),
      'tap:saveReplay': (r) => this.tap(r.tapId).saveReplay(r.seconds ?? 30),
      'tap:list': () => [...this.taps.values()].filter((t) => !t.isDetached).map((t) => t.view()),
      'tap:findings': () => {
        const open = [...this.taps.values()].filter((t) => !t.isDetached);
        return { findings: open.flatMap((t) => t.findings.list()), network: open.flatMap((t) => t.findings.latestNetwork()) };
      },
      'app:setCommands': (r) => this.opts.onCommands?.(r.commands),
    };
    return (handlers[channel] as (r: unknown) => Promise<InvokeMap[C]['res']>)(req);
  }

  private recordings(): RecordingsService {
    const o = this.opts;
    this.recordingsService ??= new RecordingsService({
      dir: o.recordingsDir,
      repaired: this.repairedFiles,
      ...(o.trash ? { trash: o.trash } : {}),
      ...(o.chooseExportDestinations ? { chooseExportDestinations: o.chooseExportDestinations } : {}),
      ...(o.reveal ? { reveal: o.reveal } : {}),
      onExportProgress: (job) => this.broadcast('export:progress', job),
    });
    return this.recordingsService;
  }

  /**
   * Moves where recordings go (and what the Recordings view lists). Recordings already running
   * finish where they started. Without a path the desktop app asks with a dialog.
   */
  private async setRecordingsDir(path: string | undefined): Promise<AppInfo> {
    const chosen = path ?? (await this.opts.chooseFolder?.(this.opts.recordingsDir));
    if (chosen === undefined) {
      if (!this.opts.chooseFolder) throw new CodedError('recordings-folder', 'Type the full path of the folder.');
      return this.info();
    }
    const dir = await checkRecordingsFolder(chosen);
    await this.opts.saveRecordingsDir?.(dir);
    this.recordingsService?.dispose();
    this.recordingsService = undefined;
    this.opts.recordingsDir = dir;
    await this.openRecordingsFolder();
    this.log('info', `Recordings now go to ${dir}.`);
    return this.info();
  }

  /** Tells every window the endpoint list changed; passes `result` through. */
  private endpointsChanged<T>(result: T): T {
    this.broadcast('endpoints:changed', this.eps.endpoints());
    return result;
  }

  /** Recordings over HTTP (audio by range, spectrograms, downloads), for the host's own server. */
  resource(pathname: string, range: string | undefined): Promise<HttpResource | undefined> {
    return this.recordings().resource(pathname, range);
  }

  /** Taps stopped by the user (and endpoint tests) whose sockets still drain until their calls end. */
  detachedCount(): number {
    return [...this.taps.values()].filter((t) => t.isDetached && t.hasOpenSockets).length + [...this.testSockets.keys()].filter((c) => c.isSocketOpen).length;
  }

  /**
   * Stream-channel connections to real (not the built-in demo) PBXs that are open now, taps and
   * endpoint tests: what quitting would have to close first. ari-media closes cleanly, the demo
   * PBX hangs its calls up when it stops.
   */
  atRiskCount(): number {
    const real = (endpointId: string): boolean => endpointId !== DEMO_ENDPOINT_ID;
    const taps = [...this.taps.values()].filter((t) => {
      const v = t.view();
      return t.hasOpenSockets && real(v.endpointId) && v.legs.some((l) => l.transport === 'stream-channel');
    }).length;
    return taps + [...this.testSockets].filter(([c, ep]) => c.isSocketOpen && c.kind === 'stream-channel' && real(ep)).length;
  }

  private trackTest(client: TapTransport, endpointId: string): void {
    if (!client.isSocketOpen) return;
    this.testSockets.set(client, endpointId);
    void client.socketClosed.then(() => this.testSockets.delete(client));
  }

  private info(): AppInfo {
    return {
      version: this.opts.version,
      host: this.opts.host,
      recordingsDir: this.opts.recordingsDir,
      secretProtection: this.opts.store.secrets.protection,
      notices: this.opts.notices ?? [],
    };
  }

  private async open(endpointId: string, channels: string[], title?: string): Promise<TapView> {
    const ep = this.eps.endpoint(endpointId);
    const ari = this.eps.ariOptions(ep);
    const kind = await resolveTransport({ choice: ep.transport ?? 'auto', channel: channels[0]!, stream: { url: ep.wsUrl }, ...(ari ? { ari } : {}) });
    if (TRANSPORT_TRAITS[kind].checksChannelsFirst) await this.eps.checkChannels(ep, channels);
    // One leg per channel, or both directions of one channel: the transport's choice.
    const plan = planLegs(kind, channels);
    const legs: { transport: TapTransport; direction: 'in' | 'out' }[] = await Promise.all(
      plan.map(async ({ channel, direction }) => ({
        direction,
        transport: await createTransport({ choice: kind, channel, direction, stream: this.eps.tapOptions(ep, channel), instance: this.ariInstance, ...(ari ? { ari } : {}) }),
      })),
    );
    const oneChannel = plan.length > 1 && plan.every((l) => l.channel === plan[0]!.channel);
    const id = randomUUID();
    const tapTitle = title ?? (oneChannel ? `${plan[0]!.channel} (in + out)` : channels.join(' + '));
    // The call-health detectors, live: their findings go where the network's go.
    const diagnostics = new LiveDiagnostics({ tapId: id, channels: legs.map((l) => l.transport.channel), title: tapTitle, onFinding: (f) => this.finding(f) });
    const tap = new TapSession({
      id,
      number: this.nextTapNumber++,
      endpointId,
      endpointName: ep.name,
      title: tapTitle,
      legs,
      recordingsDir: () => this.opts.recordingsDir,
      detectors: [diagnostics],
    });
    this.taps.set(tap.id, tap);
    // Asterisk's RTP figures for each leg, where ARI is configured; they stop with the leg or the tap.
    const net = this.network.watchTap(tap.id, ari, legs.map((l) => ({ channel: l.transport.channel, direction: l.direction })));
    tap.events.on('changed', () => {
      const view = tap.view();
      if (net) {
        if (view.detached) net.dispose();
        else view.legs.forEach((l, i) => (l.state === 'ended' || l.state === 'failed') && net.endLeg(i));
      }
      this.broadcast('tap:changed', view);
    });
    tap.events.on('pcm', (leg, wall, data) => this.sinks.forEach((s) => s.pcm(tap.number, leg, wall, data)));
    tap.events.on('log', (level, message) => this.log(level, message));
    void tap.allClosed.then(() => {
      if (tap.isDetached) this.taps.delete(tap.id);
    });
    this.log('info', `Opening ${tap.view().title} on ${ep.name}`);
    tap.start();
    return tap.view();
  }

  /** A finding started, grew or ended (detectors or network): kept for the tap's recordings and sent to every window. */
  private finding(f: FindingView): void {
    this.taps.get(f.tapId)?.findings.upsert(f);
    this.broadcast('tap:finding', f);
  }

  private tap(id: string): TapSession {
    const tap = this.taps.get(id);
    if (!tap) throw new CodedError('tap-not-found', 'That tap is no longer open.');
    return tap;
  }

  private sendStats(): void {
    for (const tap of this.taps.values()) {
      if (tap.isDetached) continue;
      this.broadcast('tap:stats', { tapId: tap.id, legs: tap.stats(), recordingMs: tap.recordingMs, recordingBytes: tap.recordingBytes });
    }
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.broadcast('log:entry', { at: new Date().toISOString(), level, message });
  }

  private broadcast<C extends EventChannel>(channel: C, payload: EventMap[C]): void {
    for (const s of this.sinks) s.event(channel, payload);
  }

  /** Stops every tap (detach + drain) and resolves when every socket has closed or `ms` passed. */
  async shutdown(ms: number): Promise<number> {
    await Promise.all([...this.taps.values()].map((t) => t.stop()));
    let timer: NodeJS.Timeout | undefined;
    const closed = [...[...this.taps.values()].map((t) => t.allClosed), ...[...this.testSockets.keys()].map((c) => c.socketClosed)];
    await Promise.race([Promise.all(closed), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
    return this.detachedCount();
  }

  /** Closes every remaining socket now (quit anyway). */
  forceCloseAll(): void {
    for (const t of this.taps.values()) t.forceClose();
    for (const c of this.testSockets.keys()) c.forceClose();
  }

  dispose(): void {
    clearInterval(this.statsTimer);
    this.network.dispose();
    this.recordingsService?.dispose();
    for (const t of this.taps.values()) t.dispose();
    this.ariInstance.dispose();
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AppInfo, BridgeError, CallView, CommandInfo, EndpointView, EventChannel, EventMap, InvokeChannel, InvokeMap, ProbeView, TapView } from '../../../preload/contract.ts';
import { CodedError, isCodedError } from '../common/coded-error.ts';
import type { Disposable } from '../common/disposable.ts';
import { AriClient } from '../ari/ari-client.ts';
import { formatParty, groupCalls, secondsSince } from '../ari/group-calls.ts';
import { repairRecordingsIn } from '../audio/wav-repair.ts';
import type { Endpoint } from '../endpoints/endpoint-schema.ts';
import { EndpointValidationError, type EndpointStore } from '../endpoints/endpoint-store.ts';
import { runProbe } from '../tap/tap-probe.ts';
import { StreamChannelClient, type StreamChannelOptions } from '../tap/stream-channel-client.ts';
import { AriMediaClient, removeLeftovers } from '../tap/ari-media-client.ts';
import { resolveTransport } from '../tap/create-transport.ts';
import type { TapTransport } from '../tap/tap-transport.ts';
import { TapSession } from './tap-session.ts';
import { RecordingsService } from './recordings-service.ts';
import type { ChooseDestinations } from './export-jobs.ts';
import type { HttpResource } from './recording-resources.ts';
import { validateRequest } from './request-validation.ts';

/** Where events and PCM go: one per connected window or browser tab. */
export interface ServiceSink {
  event<C extends EventChannel>(channel: C, payload: EventMap[C]): void;
  pcm(tapNumber: number, leg: number, wallClockMs: number, data: Buffer): void;
}

/** The built-in demo PBX as an endpoint (not stored, not editable). */
export interface DemoEndpoint {
  wsUrl: string;
  ariUrl: string;
  ariUser: string;
  ariPassword: string;
}

export const DEMO_ENDPOINT_ID = 'builtin-demo';
/** A Channel-ID no PBX has: a 101 then close means "/ws speaks stream-channel". */
const CONNECTION_TEST_CHANNEL = 'asterisk-tap-connection-test';

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
  /** The Electron shell builds its menu from these; the web host has no menu. */
  onCommands?: (commands: CommandInfo[]) => void;
}

/** Turns anything thrown into what crosses the bridge. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof EndpointValidationError) return { code: err.code, message: err.message, fields: err.fields };
  if (isCodedError(err)) return { code: err.code, message: err.message };
  return { code: 'internal', message: `Something went wrong inside the app: ${err instanceof Error ? err.message : String(err)}` };
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

  constructor(opts: TapServiceOptions) {
    this.opts = opts;
    // Stats go out 4 times a second; PCM is batched by each tap as it arrives.
    this.statsTimer = setInterval(() => this.sendStats(), 250);
  }

  /** Repairs what a crash left in the recordings folder; returns notices for the UI. */
  async init(): Promise<void> {
    await mkdir(this.opts.recordingsDir, { recursive: true });
    // Objects an earlier run left on a PBX (snoops, external media, bridges) are removed, in the background.
    for (const ep of [...(this.demoEndpoint() ? [this.demoEndpoint()!] : []), ...this.opts.store.list()]) {
      const ari = this.ariOptions(ep);
      if (!ari || ep.transport === 'stream-channel') continue;
      void removeLeftovers(new AriClient(ari)).then(
        (n) => n > 0 && this.log('info', `Removed ${n} objects an earlier run left on ${ep.name}.`),
        () => undefined,
      );
    }
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
      'endpoints:list': () => this.endpoints(),
      'endpoints:save': (r) => {
        const { id, ...input } = r;
        if (id === DEMO_ENDPOINT_ID) throw new CodedError('endpoint-builtin', 'The built-in demo PBX cannot be edited; duplicate it instead.');
        const saved = id ? this.opts.store.update(id, input) : this.opts.store.add(input);
        this.broadcastEndpoints();
        return this.toView(saved);
      },
      'endpoints:delete': (r) => {
        if (r.id === DEMO_ENDPOINT_ID) throw new CodedError('endpoint-builtin', 'The built-in demo PBX cannot be deleted.');
        this.opts.store.remove(r.id);
        this.broadcastEndpoints();
      },
      'endpoints:duplicate': (r) => {
        const copy = r.id === DEMO_ENDPOINT_ID ? this.duplicateDemo() : this.opts.store.duplicate(r.id);
        this.broadcastEndpoints();
        return this.toView(copy);
      },
      'endpoints:test': (r) => this.test(r.id, r.channel),
      'channels:list': (r) => this.channels(r.endpointId),
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
      'recordings:list': () => this.recordings().folder.list(),
      'recordings:rename': (r) => this.recordings().folder.rename(r.name, r.newName),
      'recordings:delete': (r) => this.recordings().folder.delete(r.name),
      'recordings:open': (r) => this.recordings().open(r.name),
      'recordings:saveMarkers': (r) => this.recordings().saveMarkers(r.name, r.markers),
      'recordings:export': (r) => this.recordings().export(r.name, r.clips),
      'recordings:cancelExport': (r) => this.recordings().cancelExport(r.jobId),
      'recordings:reveal': (r) => this.recordings().reveal(r.name),
      'tap:saveReplay': (r) => this.tap(r.tapId).saveReplay(r.seconds ?? 30),
      'tap:list': () => [...this.taps.values()].filter((t) => !t.isDetached).map((t) => t.view()),
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

  /** Recordings over HTTP (audio by range, spectrograms, downloads), for the host's own server. */
  resource(pathname: string, range: string | undefined): Promise<HttpResource | undefined> {
    return this.recordings().resource(pathname, range);
  }

  /** Taps stopped by the user whose sockets still drain until their calls end. */
  detachedCount(): number {
    return [...this.taps.values()].filter((t) => t.isDetached && t.hasOpenSockets).length;
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

  private demoEndpoint(): Endpoint | undefined {
    const d = this.opts.demo;
    // The demo shows the res_ari_stream path; duplicate it and pick ari-media to try stock Asterisk's.
    return d && { id: DEMO_ENDPOINT_ID, name: 'Demo PBX (built-in)', wsUrl: d.wsUrl, ariUrl: d.ariUrl, ariUser: d.ariUser, headers: {}, allowSelfSigned: false, transport: 'stream-channel' };
  }

  private duplicateDemo(): Endpoint {
    const d = this.opts.demo!;
    return this.opts.store.add({ name: 'Demo PBX (copy)', wsUrl: d.wsUrl, ariUrl: d.ariUrl, ariUser: d.ariUser, ariPassword: d.ariPassword, headers: {}, allowSelfSigned: false, transport: 'auto' });
  }

  private endpoint(id: string): Endpoint {
    const ep = id === DEMO_ENDPOINT_ID ? this.demoEndpoint() : this.opts.store.get(id);
    if (!ep) throw new CodedError('endpoint-not-found', 'That endpoint no longer exists.');
    return ep;
  }

  private secret(id: string, kind: 'ariPassword' | 'authPassword'): string | undefined {
    return id === DEMO_ENDPOINT_ID ? (kind === 'ariPassword' ? this.opts.demo?.ariPassword : undefined) : this.opts.store.secrets.get(id, kind);
  }

  private toView(ep: Endpoint): EndpointView {
    return {
      ...ep,
      headers: { ...ep.headers },
      hasAriPassword: this.secret(ep.id, 'ariPassword') !== undefined,
      hasAuthPassword: this.secret(ep.id, 'authPassword') !== undefined,
      builtin: ep.id === DEMO_ENDPOINT_ID,
    };
  }

  private endpoints(): EndpointView[] {
    const demo = this.demoEndpoint();
    return [...(demo ? [demo] : []), ...this.opts.store.list()].map((e) => this.toView(e));
  }

  private broadcastEndpoints(): void {
    this.broadcast('endpoints:changed', this.endpoints());
  }

  private tapOptions(ep: Endpoint, channel: string): StreamChannelOptions {
    const opts: StreamChannelOptions = { url: ep.wsUrl, channel, headers: ep.headers, allowSelfSigned: ep.allowSelfSigned };
    if (ep.authUser) opts.basicAuth = { user: ep.authUser, password: this.secret(ep.id, 'authPassword') ?? '' };
    return opts;
  }

  private ari(ep: Endpoint): AriClient {
    if (!ep.ariUrl || !ep.ariUser) throw new CodedError('ari-not-configured', `${ep.name} has no ARI configured: type the channel name instead, or add ARI in the endpoint settings.`);
    return new AriClient({ url: ep.ariUrl, user: ep.ariUser, password: this.secret(ep.id, 'ariPassword') ?? '' });
  }

  private async channels(endpointId: string): Promise<CallView[]> {
    const ari = this.ari(this.endpoint(endpointId));
    const [channels, bridges] = await Promise.all([ari.channels(), ari.bridges()]);
    const now = Date.now();
    return groupCalls(channels, bridges).map((legs) => ({
      legs: legs.map((c) => ({ id: c.id, name: c.name, state: c.state, caller: formatParty(c.caller), connected: formatParty(c.connected), durationS: secondsSince(c.creationtime, now) })),
    }));
  }

  private async test(id: string, channel?: string): Promise<ProbeView> {
    const ep = this.endpoint(id);
    const { report, client } = await runProbe(new StreamChannelClient({ ...this.tapOptions(ep, channel ?? CONNECTION_TEST_CHANNEL) }), 1500);
    // The probe leaves the socket draining until the call ends, as every tap does.
    void client.socketClosed;
    let verdict: string = report.verdict;
    let summary = report.summary;
    if (!channel && report.verdict === 'channel-not-found') {
      verdict = 'reachable';
      summary = 'OK: the server accepted a stream-channel connection (res_ari_stream is loaded).';
    }
    if (ep.ariUrl) {
      try {
        const n = (await this.ari(ep).channels()).length;
        summary += ` ARI: OK, ${n} channel${n === 1 ? '' : 's'} up.`;
      } catch (err) {
        summary += ` ARI: ${toBridgeError(err).message}`;
      }
    }
    return { verdict, summary, reason: report.reason, handshakeMs: report.handshakeMs, firstFrameMs: report.firstFrameMs, frames: report.frames };
  }

  private ariOptions(ep: Endpoint): { url: string; user: string; password: string } | undefined {
    return ep.ariUrl && ep.ariUser ? { url: ep.ariUrl, user: ep.ariUser, password: this.secret(ep.id, 'ariPassword') ?? '' } : undefined;
  }

  /**
   * With ARI configured, a stream-channel tap checks its channel first: Asterisk itself would
   * only accept and close, which says less than "this channel does not exist".
   */
  private async checkChannels(ep: Endpoint, channels: string[]): Promise<void> {
    if (!ep.ariUrl || !ep.ariUser) return;
    const ari = this.ari(ep);
    const live = await ari.channels();
    for (const c of channels) {
      if (!live.some((l) => l.id === c || l.name === c)) throw new CodedError('channel-not-found', `Channel "${c}" does not exist on ${ep.name} (ARI lists no such name or uniqueid). Names are case-sensitive, e.g. PJSIP/alice-00000001.`);
    }
  }

  private async open(endpointId: string, channels: string[], title?: string): Promise<TapView> {
    const ep = this.endpoint(endpointId);
    const ari = this.ariOptions(ep);
    const kind = await resolveTransport({ choice: ep.transport ?? 'auto', channel: channels[0]!, stream: { url: ep.wsUrl }, ...(ari ? { ari } : {}) });
    let legs: { transport: TapTransport; direction: 'in' | 'out' }[];
    if (kind === 'ari-media') {
      // One channel: what it reads. A call: both directions of its first channel, as two legs.
      const directions: ('in' | 'out')[] = channels.length > 1 ? ['in', 'out'] : ['in'];
      legs = directions.map((direction) => ({ direction, transport: new AriMediaClient({ ariUrl: ari!.url, user: ari!.user, password: ari!.password, channel: channels[0]!, direction }) }));
    } else {
      await this.checkChannels(ep, channels);
      legs = channels.map((c) => ({ direction: 'in' as const, transport: new StreamChannelClient(this.tapOptions(ep, c)) }));
    }
    const tap = new TapSession({
      id: randomUUID(),
      number: this.nextTapNumber++,
      endpointId,
      endpointName: ep.name,
      title: title ?? (kind === 'ari-media' && channels.length > 1 ? `${channels[0]} (in + out)` : channels.join(' + ')),
      legs,
      recordingsDir: this.opts.recordingsDir,
    });
    this.taps.set(tap.id, tap);
    tap.events.on('changed', () => this.broadcast('tap:changed', tap.view()));
    tap.events.on('pcm', (leg, wall, data) => this.sinks.forEach((s) => s.pcm(tap.number, leg, wall, data)));
    tap.events.on('log', (level, message) => this.log(level, message));
    void tap.allClosed.then(() => {
      if (tap.isDetached) this.taps.delete(tap.id);
    });
    this.log('info', `Opening ${tap.view().title} on ${ep.name}`);
    tap.start();
    return tap.view();
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
    await Promise.race([Promise.all([...this.taps.values()].map((t) => t.allClosed)), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
    return this.detachedCount();
  }

  /** Closes every remaining socket now (quit anyway). */
  forceCloseAll(): void {
    for (const t of this.taps.values()) t.forceClose();
  }

  dispose(): void {
    clearInterval(this.statsTimer);
    this.recordingsService?.dispose();
    for (const t of this.taps.values()) t.dispose();
  }
}

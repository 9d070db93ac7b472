import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { authorized, handleAriRequest, type AriBackend } from './ari-routes.ts';
import { AriMediaHub } from './ari-media-hub.ts';
import { IdAllocator, makeBridge, makeChannel, type SimCall, type SimChannel } from './sim-model.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';
import { frameBytes } from './signal-generators.ts';
import { LOSSY_CHANNEL_PREFIX, LOSSY_SCENARIO, rtpStatisticsOf } from './sim-network.ts';
import type { SimFault } from './sim-faults.ts';
import { closeOnHangup, handleStreamUpgrade, sendAudio, type StreamListener } from './stream-channel-endpoint.ts';
import { OPCODE, encodeFrame, httpError } from './ws-server-frames.ts';

export interface DemoPbxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  ariUser?: string;
  ariPassword?: string;
  /** Seconds before each call hangs up (0: calls last until hung up). */
  callSeconds?: number;
  /** Start a fresh call of the same kind this long after one ends (ms); negative: never. */
  respawnMs?: number;
  /** Time runs this many times faster than real time (benchmarks). */
  speed?: number;
  faults?: SimFault[];
  /** Serve https/wss with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Which scenarios to run; all by default. */
  scenarios?: string[];
  /** How long an external media channel waits for its websocket (Asterisk: about 30 s). */
  mediaWindowMs?: number;
  /** false: behave like an Asterisk before 20.16 (no chan_websocket, version 20.10.0). */
  chanWebsocket?: boolean;
  /** asterisk.conf `systemname`: uniqueids become `<name>-<epoch>.<n>` (part C). */
  systemName?: string;
}

/** What tests can read about the server's side of things. */
export interface DemoPbxCounters {
  streamConnections: number;
  /** Clients that closed (close frame or TCP) while their call was up: each would risk a crash on a real Asterisk. */
  clientFirstCloses: number;
  framesSent: number;
  /** ERROR lines Asterisk would have written to its log: res_ari_stream's "Channel not found" for each unknown or missing Channel-ID. */
  errorLog: number;
}

const FRAME_MS = 20;
const ENTITY_ID = '02:de:00:00:00:01';

/**
 * The built-in demo PBX: an HTTP server that behaves like Asterisk 23 with res_ari_stream on /ws
 * (as captured in the conformance suite) and serves the ARI read endpoints a tap needs.
 */
export class DemoPbx {
  readonly counters: DemoPbxCounters = { streamConnections: 0, clientFirstCloses: 0, framesSent: 0, errorLog: 0 };
  private readonly opts: Required<Omit<DemoPbxOptions, 'tls' | 'scenarios' | 'mediaWindowMs' | 'chanWebsocket' | 'systemName'>> & Pick<DemoPbxOptions, 'tls' | 'scenarios' | 'mediaWindowMs' | 'chanWebsocket' | 'systemName'>;
  /** The stock-Asterisk side: external media, snoops, stasis bridges, ARI events. */
  readonly media: AriMediaHub;
  private readonly server: Server;
  private readonly ids: IdAllocator;
  private readonly channels = new Map<string, SimChannel>();
  private readonly listeners = new Map<SimChannel, Set<StreamListener>>();
  private readonly calls = new Set<SimCall>();
  private readonly sockets = new Set<Duplex>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startedAt = Date.now();
  private t0 = 0;
  private frameNow = -1;
  private tickTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: DemoPbxOptions = {}) {
    this.opts = {
      port: 0,
      host: '127.0.0.1',
      ariUser: 'demo',
      ariPassword: 'demo',
      callSeconds: 0,
      respawnMs: 1000,
      speed: 1,
      faults: [],
      ...options,
    };
    this.ids = new IdAllocator(this.opts.systemName);
    this.media = new AriMediaHub({
      channel: (id) => this.channels.get(id),
      peers: (ch) => ch.call.channels.filter((c) => c !== ch && this.channels.has(c.json.id)),
      allocateId: () => this.ids.uniqueid(),
      entityId: ENTITY_ID,
      ...(this.opts.mediaWindowMs !== undefined ? { mediaWindowMs: this.opts.mediaWindowMs } : {}),
    });
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.onRequest(req, res);
    this.server = this.opts.tls ? createHttpsServer({ key: this.opts.tls.key, cert: this.opts.tls.cert }, handler) : createHttpServer(handler);
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.server.on('connection', (socket: Duplex) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening and the calls; resolves with the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.t0 = performance.now();
    const wanted = this.opts.scenarios;
    for (const scenario of SCENARIOS) if (!wanted || wanted.includes(scenario.name)) this.startCall(scenario);
    this.scheduleTick();
    return this.url;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  /** http(s)://127.0.0.1:PORT */
  get url(): string {
    return `${this.opts.tls ? 'https' : 'http'}://${this.opts.host}:${this.port}`;
  }
  /** The stream-channel URL, ws(s)://127.0.0.1:PORT/ws */
  get wsUrl(): string {
    return `${this.opts.tls ? 'wss' : 'ws'}://${this.opts.host}:${this.port}/ws`;
  }
  get ariUrl(): string {
    return `${this.url}/ari`;
  }

  /** Live channels, in creation order. */
  listChannels(): SimChannel[] {
    return [...this.channels.values()];
  }
  findChannel(nameOrId: string): SimChannel | undefined {
    return this.channels.get(nameOrId) ?? [...this.channels.values()].find((c) => c.json.name === nameOrId);
  }
  /** The first live channel whose name starts with `prefix` (e.g. "Local/milliwatt"). */
  channelByPrefix(prefix: string): SimChannel | undefined {
    return [...this.channels.values()].find((c) => c.json.name.startsWith(prefix));
  }
  /** Active stream-channel listeners on a channel. */
  listenerCount(channelId: string): number {
    const ch = this.channels.get(channelId);
    return ch ? (this.listeners.get(ch)?.size ?? 0) : 0;
  }

  /** Hangs up the call that holds this channel (name or uniqueid): every leg ends. */
  hangup(nameOrId: string): boolean {
    const ch = this.findChannel(nameOrId);
    if (!ch) return false;
    this.endCall(ch.call);
    return true;
  }

  /** Hangs up every call, closes every stream as at hangup, then stops the server. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const call of [...this.calls]) this.endCall(call);
    this.media.dispose();
    if (this.tickTimer) clearTimeout(this.tickTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // Give the hangup closes time to go out, as Asterisk would at shutdown.
    await new Promise((r) => setTimeout(r, 60));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private startCall(scenario: Scenario): void {
    const now = Date.now();
    const startFrame = this.frameNow + 1;
    const call: SimCall = { scenario: scenario.name, channels: [], bridge: undefined, startFrame };
    for (const spec of scenario.legs(this.ids.suffix())) {
      const ch = makeChannel(spec, this.ids.uniqueid(), call, startFrame, now);
      call.channels.push(ch);
      this.channels.set(ch.json.id, ch);
    }
    if (scenario.bridged) call.bridge = makeBridge(call.channels.map((c) => c.json.id), now);
    this.calls.add(call);
  }

  private endCall(call: SimCall): void {
    if (!this.calls.delete(call)) return;
    for (const ch of call.channels) {
      this.channels.delete(ch.json.id);
      this.media.targetHungUp(ch);
      for (const l of this.listeners.get(ch) ?? []) closeOnHangup(l);
    }
    if (!this.stopped && this.opts.respawnMs >= 0) {
      const scenario = SCENARIOS.find((s) => s.name === call.scenario);
      if (scenario) this.later(() => this.startCall(scenario), this.opts.respawnMs);
    }
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }

  private scheduleTick(): void {
    if (this.stopped) return;
    const due = this.t0 + ((this.frameNow + 1) * FRAME_MS) / this.opts.speed;
    this.tickTimer = setTimeout(() => this.tick(), Math.max(0, due - performance.now()));
  }

  /** Sends every frame that is due by now, so pacing follows the clock, not timer drift. */
  private tick(): void {
    const target = Math.floor(((performance.now() - this.t0) * this.opts.speed) / FRAME_MS);
    const callFrames = (this.opts.callSeconds * 1000) / FRAME_MS;
    while (this.frameNow < target) {
      this.frameNow++;
      for (const [channel, set] of this.listeners) {
        if (set.size === 0 || !this.channels.has(channel.json.id)) continue;
        const samples = channel.source(this.frameNow - channel.startFrame);
        if (!samples) continue;
        const payload = frameBytes(samples);
        const wire = encodeFrame(OPCODE.binary, payload);
        for (const l of set) sendAudio(l, wire, payload);
        this.counters.framesSent += set.size;
      }
      this.media.tick(this.frameNow);
      if (callFrames > 0) for (const call of [...this.calls]) if (this.frameNow - call.startFrame >= callFrames) this.endCall(call);
    }
    this.scheduleTick();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/ws') {
      const auth = (r: IncomingMessage, u: URL): boolean => authorized(r, u, this.ariBackend());
      if (!this.media.handleUpgrade(req, socket, head, path, auth)) socket.end(httpError(404, 'Not Found'));
      return;
    }
    this.counters.streamConnections++;
    handleStreamUpgrade(req, socket, {
      findChannel: (id) => this.findChannel(id),
      faults: () => this.opts.faults,
      attach: (l) => {
        let set = this.listeners.get(l.channel);
        if (!set) this.listeners.set(l.channel, (set = new Set()));
        set.add(l);
      },
      detach: (l) => {
        const set = this.listeners.get(l.channel);
        set?.delete(l);
        if (set?.size === 0) this.listeners.delete(l.channel);
      },
      clientClosedFirst: (l) => {
        if (!l.closing && this.channels.has(l.channel.json.id) && !(l as { counted?: boolean }).counted) {
          (l as { counted?: boolean }).counted = true;
          this.counters.clientFirstCloses++;
        }
      },
      channelNotFound: () => {
        this.counters.errorLog++;
      },
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/ari/')) {
      handleAriRequest(req, res, url, this.ariBackend());
      return;
    }
    if (url.pathname === '/sim/stats' && req.method === 'GET') {
      // The simulator's own counters (not an Asterisk route), for tests and people.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(this.counters));
      return;
    }
    res.writeHead(404, { Server: 'Asterisk/23.4.1', 'Content-Type': 'text/plain' });
    res.end('Not Found\n');
  }

  /** What `module show` would list, for the modules route: the stream modules follow the options. */
  private loadedModules(): string[] {
    const modules = ['res_ari.so', 'res_stasis.so', 'res_http_websocket.so'];
    if (!this.opts.faults.some((f) => f.kind === 'no-module' && f.channel === undefined)) modules.push('res_ari_stream.so');
    if (this.opts.chanWebsocket !== false) modules.push('chan_websocket.so');
    return modules;
  }

  private ariBackend(): AriBackend {
    return {
      user: this.opts.ariUser,
      password: this.opts.ariPassword,
      entityId: ENTITY_ID,
      startedAt: this.startedAt,
      channels: () => [...this.listChannels().map((c) => c.json), ...this.media.channels()],
      channel: (id) => this.channels.get(id)?.json ?? this.media.channel(id),
      bridges: () => [...[...this.calls].flatMap((c) => (c.bridge ? [c.bridge] : [])), ...this.media.stasisBridges()],
      hangup: (id) => (this.channels.has(id) ? this.hangup(id) : false),
      rtpStatistics: (id) => {
        const ch = this.channels.get(id);
        if (ch) return rtpStatisticsOf({ uniqueid: id, name: ch.json.name, lossy: ch.call.scenario === LOSSY_SCENARIO && ch.json.name.startsWith(LOSSY_CHANNEL_PREFIX), frames: this.frameNow - ch.startFrame + 1, ssrc: ch.startFrame * 7919 + ch.json.name.length });
        return this.media.channel(id) ? { status: 403, body: { message: 'Unsupported channel type' } } : undefined;
      },
      version: this.opts.chanWebsocket === false ? '20.10.0' : '23.4.1',
      systemName: this.opts.systemName ?? '',
      modules: this.loadedModules(),
      media: (method, parts, url) => {
        if (this.opts.chanWebsocket === false && parts[0] === 'channels' && parts[1] === 'externalMedia') {
          return { status: 400, body: { message: "Invalid transport 'websocket'" } };
        }
        return this.media.handle(method, parts, url);
      },
    };
  }
}

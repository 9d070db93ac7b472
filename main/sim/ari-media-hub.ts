import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ariTime, makeBridge, type AriBridgeJson, type AriChannelJson, type SimChannel } from './sim-model.ts';
import { frameBytes, frameUlaw, FRAME_SAMPLES } from './signal-generators.ts';

/** What part B of the conformance captures says chan_websocket + ARI snoop do (Asterisk 20.16+). */
const MEDIA_WINDOW_MS = 30_000;
const NOT_FOUND_HTML =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>404 Not found</title>\r\n</head><body>\r\n<h1>Not found</h1>\r\n<p>WebSocket instance not found</p>\r\n<hr />\r\n<address>Asterisk/23.4.1</address>\r\n</body></html>\r\n';

interface ExternalMedia {
  json: AriChannelJson;
  connectionId: string;
  jsonControl: boolean;
  format: 'slin16' | 'ulaw';
  /** The Stasis app it was created for: its events go to that app's socket only. */
  app: string;
  socket: WebSocket | undefined;
  windowTimer: NodeJS.Timeout | undefined;
}

interface Snoop {
  json: AriChannelJson;
  target: SimChannel;
  spy: 'in' | 'out' | 'both';
  app: string;
}

export interface AriResult {
  status: number;
  body?: unknown;
}

/** Hooks into the rest of the demo PBX. */
export interface MediaHubHost {
  channel(id: string): SimChannel | undefined;
  /** The other legs of a channel's call (what Asterisk sends to it, for spy=out). */
  peers(channel: SimChannel): SimChannel[];
  allocateId(): string;
  entityId: string;
  mediaWindowMs?: number;
}

/**
 * The demo PBX's stock-Asterisk side: external media channels served on /media/<connection id>,
 * snoop channels, stasis bridges and the ARI events websocket.
 */
export class AriMediaHub {
  private readonly host: MediaHubHost;
  private readonly ext = new Map<string, ExternalMedia>();
  private readonly snoops = new Map<string, Snoop>();
  private readonly bridges = new Map<string, AriBridgeJson>();
  /** The one events socket each Stasis app has now (a newer one replaces it, as Asterisk does). */
  private readonly apps = new Map<string, WebSocket>();
  private readonly eventSockets = new Set<WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private snoopCounter = 0;
  /** Client-side closes of media sockets (clean for chan_websocket; counted for tests). */
  mediaClientCloses = 0;
  /** Times a second events socket took an app name in use ("Replacing Stasis app" in Asterisk's log). */
  appReplacements = 0;

  constructor(host: MediaHubHost) {
    this.host = host;
  }

  /** Channels ARI lists besides the calls: external media and snoops. */
  channels(): AriChannelJson[] {
    return [...[...this.ext.values()].map((e) => e.json), ...[...this.snoops.values()].map((s) => s.json)];
  }
  channel(id: string): AriChannelJson | undefined {
    return this.ext.get(id)?.json ?? this.snoops.get(id)?.json;
  }
  stasisBridges(): AriBridgeJson[] {
    return [...this.bridges.values()];
  }

  /** GET /ari/applications: the Stasis apps registered now (one per events socket app name). */
  applications(): Record<string, unknown>[] {
    return [...this.apps.keys()].map((name) => this.application(name));
  }

  private application(name: string): Record<string, unknown> {
    const channelIds = [...[...this.ext.values()].filter((e) => e.app === name).map((e) => e.json.id), ...[...this.snoops.values()].filter((s) => s.app === name).map((s) => s.json.id)];
    return { name, channel_ids: channelIds, bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] };
  }

  /** The REST routes of part B; undefined when the route is not one of them. */
  handle(method: string, parts: string[], url: URL): AriResult | undefined {
    const q = url.searchParams;
    const [resource, id, action] = parts;
    if (method === 'GET' && resource === 'applications' && action === undefined) {
      if (id === undefined) return { status: 200, body: this.applications() };
      return this.apps.has(id) ? { status: 200, body: this.application(id) } : { status: 404, body: { message: 'Application not found' } };
    }
    if (method === 'POST' && resource === 'channels' && id === 'externalMedia' && action === undefined) return this.createExternal(q);
    if (method === 'POST' && resource === 'channels' && id !== undefined && action === 'snoop') return this.createSnoop(id, q);
    if (method === 'DELETE' && resource === 'channels' && id !== undefined && action === undefined && (this.ext.has(id) || this.snoops.has(id))) {
      this.destroyChannel(id, 16);
      return { status: 204 };
    }
    if (method === 'POST' && resource === 'bridges' && id === undefined) {
      const bridge = { ...makeBridge([], Date.now()), bridge_class: 'stasis', creator: 'Stasis', name: q.get('name') ?? '', video_mode: 'talker', bridge_type: q.get('type') ?? 'mixing' };
      if (q.get('bridgeId')) bridge.id = q.get('bridgeId')!;
      this.bridges.set(bridge.id, bridge);
      return { status: 200, body: bridge };
    }
    if (method === 'POST' && resource === 'bridges' && id !== undefined && action === 'addChannel') {
      const bridge = this.bridges.get(id);
      if (!bridge) return { status: 404, body: { message: 'Bridge not found' } };
      const ids = (q.get('channel') ?? '').split(',').filter(Boolean);
      if (ids.some((c) => !this.ext.has(c) && !this.snoops.has(c))) return { status: 400, body: { message: 'Channel not found' } };
      bridge.channels.push(...ids.filter((c) => !bridge.channels.includes(c)));
      return { status: 204 };
    }
    if (method === 'DELETE' && resource === 'bridges' && id !== undefined && action === undefined) {
      const bridge = this.bridges.get(id);
      if (!bridge) return { status: 404, body: { message: 'Bridge not found' } };
      this.bridges.delete(id);
      this.emit('BridgeDestroyed', { bridge });
      return { status: 204 };
    }
    return undefined;
  }

  private createExternal(q: URLSearchParams): AriResult {
    const app = q.get('app');
    const format = q.get('format');
    if (!app || q.get('transport') !== 'websocket' || q.get('connection_type') !== 'server' || (format !== 'slin16' && format !== 'ulaw')) {
      return { status: 400, body: { message: 'app, transport=websocket, connection_type=server and format (slin16 or ulaw) are required' } };
    }
    const id = q.get('channelId') ?? this.host.allocateId();
    const connectionId = randomUUID();
    const json: AriChannelJson & { channelvars?: Record<string, string> } = {
      id,
      name: `WebSocket/INCOMING/0x${Math.floor(Math.random() * 2 ** 44).toString(16)}`,
      state: 'Down',
      protocol_id: '',
      caller: { name: '', number: '' },
      connected: { name: '', number: '' },
      accountcode: '',
      dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
      creationtime: ariTime(Date.now()),
      language: 'en',
    };
    const media: ExternalMedia = { json, connectionId, jsonControl: (q.get('transport_data') ?? '').includes('f(json)'), format, app, socket: undefined, windowTimer: undefined };
    // Not connected within the window: destroyed with cause 19 (no answer), URL gone.
    media.windowTimer = setTimeout(() => this.destroyChannel(id, 19), this.host.mediaWindowMs ?? MEDIA_WINDOW_MS);
    media.windowTimer.unref();
    this.ext.set(id, media);
    const frame = format === 'ulaw' ? '160' : '640';
    return { status: 200, body: { ...json, channelvars: { MEDIA_WEBSOCKET_CONNECTION_ID: connectionId, MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE: frame } } };
  }

  private createSnoop(targetId: string, q: URLSearchParams): AriResult {
    const target = this.host.channel(targetId);
    if (!target) return { status: 404, body: { message: 'Channel not found' } };
    const spy = q.get('spy') ?? 'none';
    if (spy !== 'in' && spy !== 'out' && spy !== 'both') return { status: 400, body: { message: 'spy must be in, out or both' } };
    const app = q.get('app') ?? '';
    const id = q.get('snoopId') ?? this.host.allocateId();
    const json: AriChannelJson = {
      id,
      name: `Snoop/${targetId}-${(this.snoopCounter++).toString(16).padStart(8, '0')}`,
      state: 'Up',
      protocol_id: '',
      caller: { name: '', number: '' },
      connected: { name: '', number: '' },
      accountcode: '',
      dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: app },
      creationtime: ariTime(Date.now()),
      language: 'en',
    };
    this.snoops.set(id, { json, target, spy, app });
    this.emit('StasisStart', { args: [], channel: json }, app);
    return { status: 200, body: { ...json, dialplan: { ...json.dialplan, app_name: '', app_data: '' } } };
  }

  /** The tapped call hung up: its snoops disappear; the media sockets stay open (as captured). */
  targetHungUp(target: SimChannel): void {
    for (const [id, s] of this.snoops) if (s.target === target) this.destroyChannel(id, 16);
  }

  private destroyChannel(id: string, cause: number): void {
    const media = this.ext.get(id);
    const snoop = this.snoops.get(id);
    const json = media?.json ?? snoop?.json;
    const app = media?.app ?? snoop?.app;
    if (!json) return;
    this.ext.delete(id);
    this.snoops.delete(id);
    if (media) {
      clearTimeout(media.windowTimer);
      if (media.socket && media.socket.readyState === media.socket.OPEN) media.socket.close(1000);
    }
    for (const b of this.bridges.values()) b.channels = b.channels.filter((c) => c !== id);
    if (json.dialplan.app_name === 'Stasis') this.emit('StasisEnd', { channel: json }, app);
    this.emit('ChannelDestroyed', { cause, cause_txt: cause === 19 ? 'No Answer' : 'Normal Clearing', channel: json }, app);
  }

  /** Upgrades for /media/<id> and /ari/events; false when the path is neither. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, authorized: (req: IncomingMessage, url: URL) => boolean): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (path.startsWith('/media/')) {
      const media = [...this.ext.values()].find((m) => m.connectionId === path.slice('/media/'.length));
      if (!media) {
        socket.end(`HTTP/1.1 404 Not found\r\nServer: Asterisk/23.4.1\r\nCache-Control: no-cache, no-store\r\nContent-type: text/html\r\nContent-Length: ${Buffer.byteLength(NOT_FOUND_HTML)}\r\n\r\n${NOT_FOUND_HTML}`);
        return true;
      }
      if (media.socket) {
        socket.end('HTTP/1.1 409 Conflict\r\nServer: Asterisk/23.4.1\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.attachMedia(media, ws));
      return true;
    }
    if (path === '/ari/events') {
      if (!authorized(req, url)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      const app = url.searchParams.get('app') ?? '';
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        // Part C: a second socket with the same app name replaces the app; the first stays open
        // but receives nothing more.
        if (this.apps.has(app)) this.appReplacements++;
        this.apps.set(app, ws);
        this.eventSockets.add(ws);
        ws.on('close', () => {
          this.eventSockets.delete(ws);
          if (this.apps.get(app) === ws) this.apps.delete(app);
        });
      });
      return true;
    }
    return false;
  }

  private attachMedia(media: ExternalMedia, ws: WebSocket): void {
    clearTimeout(media.windowTimer);
    media.socket = ws;
    media.json.state = 'Up';
    media.json.dialplan = { ...media.json.dialplan, app_name: 'Stasis', app_data: 'tap' };
    const frame = media.format === 'ulaw' ? 160 : 640;
    const start = { connection_id: media.connectionId, channel: media.json.name, channel_id: media.json.id, format: media.format, optimal_frame_size: frame, ptime: 20 };
    ws.send(media.jsonControl ? JSON.stringify({ event: 'MEDIA_START', ...start, channel_variables: { MEDIA_WEBSOCKET_CONNECTION_ID: media.connectionId, MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE: String(frame) } }) : `MEDIA_START ${Object.entries(start).map(([k, v]) => `${k}:${v}`).join(' ')}`);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = String(data);
      if (text === 'GET_STATUS' || text.includes('"GET_STATUS"')) {
        const status = { channel_id: media.json.id, queue_length: 0, xon_level: 800, xoff_level: 900, queue_full: false, bulk_media: false, media_paused: false };
        ws.send(media.jsonControl ? JSON.stringify({ event: 'STATUS', ...status }) : `STATUS ${Object.entries(status).map(([k, v]) => `${k}:${v}`).join(' ')}`);
      }
    });
    ws.on('close', () => {
      // The client closing hangs the external channel up; snoop and bridge stay until deleted.
      if (this.ext.get(media.json.id) === media) {
        this.mediaClientCloses++;
        media.socket = undefined;
        this.destroyChannel(media.json.id, 16);
      }
    });
  }

  /** Sends frame `frameNow` to every media socket bridged with a live snoop. */
  tick(frameNow: number): void {
    for (const media of this.ext.values()) {
      const ws = media.socket;
      if (!ws || ws.readyState !== ws.OPEN) continue;
      const bridge = [...this.bridges.values()].find((b) => b.channels.includes(media.json.id));
      const snoop = bridge?.channels.map((c) => this.snoops.get(c)).find((s) => s !== undefined);
      if (!snoop) continue;
      // chan_websocket reports the digits the tapped channel sends (spy=in) as DTMF_END.
      const digit = snoop.spy !== 'out' ? snoop.target.dtmfEnd?.(frameNow - snoop.target.startFrame) : undefined;
      if (digit) ws.send(media.jsonControl ? JSON.stringify({ event: 'DTMF_END', channel_id: media.json.id, digit, duration_ms: 100 }) : `DTMF_END channel_id:${media.json.id} digit:${digit} duration_ms:100`);
      const samples = this.snoopFrame(snoop, frameNow);
      ws.send(media.format === 'ulaw' ? frameUlaw(samples) : frameBytes(samples), { binary: true });
    }
  }

  /** spy=in: what the channel reads; out: what Asterisk sends it (its peers); both: their sum, clipped. */
  private snoopFrame(s: Snoop, frameNow: number): Int16Array {
    const read = (ch: SimChannel): Int16Array => ch.source(frameNow - ch.startFrame) ?? new Int16Array(FRAME_SAMPLES);
    const parts = s.spy === 'in' ? [s.target] : s.spy === 'out' ? this.host.peers(s.target) : [s.target, ...this.host.peers(s.target)];
    const out = new Int16Array(FRAME_SAMPLES);
    for (const ch of parts) {
      const f = read(ch);
      for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, out[i]! + f[i]!));
    }
    return out;
  }

  /** Sends an event to the app that owns the object (or to every app), on its current socket only. */
  private emit(type: string, fields: Record<string, unknown>, app?: string): void {
    for (const [name, ws] of this.apps) {
      if (app !== undefined && name !== app) continue;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type, timestamp: ariTime(Date.now()), ...fields, asterisk_id: this.host.entityId, application: name }));
    }
  }

  /** Cuts every ARI events socket without a close frame (a network drop; for tests). */
  dropEventSockets(): void {
    for (const ws of this.eventSockets) ws.terminate();
  }

  dispose(): void {
    for (const id of [...this.ext.keys()]) this.destroyChannel(id, 16);
    for (const ws of this.eventSockets) ws.terminate();
    this.wss.close();
  }
}

import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { CodedError, describeError } from '../common/coded-error.ts';
import { AriClient, type AriChannel } from '../ari/ari-client.ts';
import { processAriInstance, type AriAppInstance } from '../ari/ari-app-instance.ts';
import type { AriEvent, AriEventsLease } from '../ari/ari-events-hub.ts';
import { LifecycleTransport } from './tap-lifecycle.ts';
import { describeTapReason, type TapReason } from './tap-reasons.ts';
import type { TapTransport } from './tap-transport.ts';

/** This transport's own words for a channel ARI does not have (stream-channel's talk of an accepted-then-closed socket would be wrong). */
export function ariChannelNotFound(channel: string, url: string): string {
  return (
    `ARI at ${url} has no channel named "${channel}" and none with that uniqueid: it may have hung up. ` +
    'Names are case-sensitive (e.g. PJSIP/alice-00000001); the Channels view or `channels` lists the live ones.'
  );
}

/**
 * A channel by name or by uniqueid, whatever its shape (`1796186281.4`, or `lab-1796186281.4`
 * where asterisk.conf sets systemname): one GET /channels answers both.
 */
export async function findAriChannel(ari: AriClient, nameOrId: string): Promise<AriChannel | undefined> {
  const all = await ari.channels();
  return all.find((c) => c.id === nameOrId) ?? all.find((c) => c.name === nameOrId);
}

export interface AriMediaOptions {
  ariUrl: string;
  user: string;
  password: string;
  /** Uniqueid, or a channel name (resolved through ARI). */
  channel: string;
  /** in: what the channel reads (as stream-channel); out: what Asterisk sends it. */
  direction: 'in' | 'out';
  timeoutMs?: number;
  /** The app instance whose Stasis app, object ids and events socket this leg uses (default: the process's). */
  instance?: AriAppInstance;
}

/** MEDIA_START (plain `key:value` words, or JSON with f(json)). */
export function parseMediaStart(text: string): Record<string, string> | undefined {
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as Record<string, unknown>;
      if (o['event'] !== 'MEDIA_START') return undefined;
      return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== 'object').map(([k, v]) => [k, String(v)]));
    } catch {
      return undefined;
    }
  }
  const [word, ...pairs] = text.trim().split(/\s+/);
  if (word !== 'MEDIA_START') return undefined;
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)]));
}

/** A DTMF_END digit in either form, or undefined. */
export function parseDtmfEnd(text: string): string | undefined {
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as { event?: string; digit?: unknown };
      return o.event === 'DTMF_END' && typeof o.digit === 'string' ? o.digit : undefined;
    } catch {
      return undefined;
    }
  }
  return /^DTMF_END\b.*\bdigit:(\S)/.exec(text)?.[1];
}

/**
 * Taps one direction of a channel on stock Asterisk (20.16+): a snoop and an external media
 * channel in a mixing bridge, audio over chan_websocket's /media/<id>. Clean to close at any
 * time, so stop() tears everything down; the end of the call is seen on the ARI events socket
 * (the media socket stays open after a hangup).
 */
export class AriMediaClient extends LifecycleTransport implements TapTransport {
  readonly kind = 'ari-media' as const;
  readonly channel: string;
  readonly url: string;
  private readonly opts: AriMediaOptions;
  private readonly ari: AriClient;
  private readonly ids: { ext: string; snoop: string; bridge: string };
  private readonly instance: AriAppInstance;
  private media: WebSocket | undefined;
  private eventsLease: AriEventsLease | undefined;
  private openedAt = 0;
  private detached = false;
  private targetId: string | undefined;
  private torn = false;
  private started = false;
  /** ARI paths of what this tap created, deleted at tear-down (also when stop() raced set-up). */
  private readonly created: string[] = [];
  /** MEDIA_START fields, once received. */
  mediaStart: Record<string, string> | undefined;

  constructor(opts: AriMediaOptions) {
    const ari = new AriClient({ url: opts.ariUrl, user: opts.user, password: opts.password, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    super({ url: ari.baseUrl, channel: opts.channel });
    this.ari = ari;
    this.opts = opts;
    this.channel = opts.channel;
    this.url = ari.baseUrl;
    this.instance = opts.instance ?? processAriInstance();
    const base = this.instance.nextObjectBase();
    this.ids = { ext: `${base}-ext`, snoop: `${base}-snoop-${opts.direction}`, bridge: `${base}-bridge` };
  }

  get isDetached(): boolean {
    return this.detached;
  }
  get isSocketOpen(): boolean {
    return this.media !== undefined && !this.life.isSocketClosed;
  }
  get protocol(): string | undefined {
    return this.mediaStart ? `chan_websocket ${this.mediaStart['format'] ?? ''}`.trim() : undefined;
  }
  get tlsNote(): string | undefined {
    return undefined;
  }

  connect(): this {
    if (this.started) return this;
    this.started = true;
    void this.setUp().catch((err: unknown) => this.failFrom(err));
    return this;
  }

  private wsBase(): string {
    return this.url.replace(/^http/, 'ws').replace(/\/ari$/, '');
  }

  private async setUp(): Promise<void> {
    const target = await findAriChannel(this.ari, this.channel);
    if (!target) {
      this.finish('ended', 'channel-not-found', null, ariChannelNotFound(this.channel, this.url));
      return this.tearDown();
    }
    this.targetId = target.id;
    if (this.torn) return;
    await this.openEvents();
    const ext = (await this.ari.post('/channels/externalMedia', {
      app: this.instance.appName,
      transport: 'websocket',
      encapsulation: 'none',
      connection_type: 'server',
      format: 'slin16',
      transport_data: 'f(json)',
      channelId: this.ids.ext,
    })) as { channelvars?: Record<string, string> };
    await this.track(`/channels/${this.ids.ext}`);
    const connectionId = ext.channelvars?.['MEDIA_WEBSOCKET_CONNECTION_ID'];
    if (!connectionId) throw new CodedError('unsupported', describeTapReason('unsupported', { url: this.url }));
    if (this.torn) return;
    await this.openMedia(connectionId);
    await this.ari.post(`/channels/${encodeURIComponent(target.id)}/snoop`, { spy: this.opts.direction, whisper: 'none', app: this.instance.appName, snoopId: this.ids.snoop });
    await this.track(`/channels/${this.ids.snoop}`);
    await this.ari.post('/bridges', { type: 'mixing', name: this.ids.bridge, bridgeId: this.ids.bridge });
    await this.track(`/bridges/${this.ids.bridge}`);
    if (this.torn) return;
    await this.ari.post(`/bridges/${this.ids.bridge}/addChannel`, { channel: `${this.ids.snoop},${this.ids.ext}` });
  }

  /** Remembers an object for tear-down; one created after tear-down began is deleted at once. */
  private async track(path: string): Promise<void> {
    this.created.push(path);
    if (this.torn) await this.ari.delete(path).catch(() => undefined);
  }

  /** Joins the instance's one events socket on this server (shared with its other legs). */
  private openEvents(): Promise<void> {
    this.eventsLease = this.instance.events(this.wsBase(), this.opts.user, this.opts.password, {
      event: (ev) => this.onEvent(ev),
      lost: () => {
        if (this.life.finished) return;
        this.finish('failed', 'connection-lost', null, `The ARI events socket to ${this.url} closed: the tap could no longer see the call end, so it was stopped and its objects removed.`);
        void this.tearDown();
      },
    });
    return this.eventsLease.ready;
  }

  private onEvent(ev: AriEvent): void {
    const id = ev.channel?.id;
    if (ev.type !== 'ChannelDestroyed' && ev.type !== 'StasisEnd') return;
    if (id === this.ids.snoop || id === this.targetId) this.finish('ended', 'call-ended', null);
    else if (id === this.ids.ext && !this.media) this.finish('failed', 'media-window', null);
  }

  private openMedia(connectionId: string): Promise<void> {
    const ws = new WebSocket(`${this.wsBase()}/media/${connectionId}`, { perMessageDeflate: false, maxPayload: 64 * 1024 });
    this.media = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('close', (code) => {
      this.finish('failed', this.detached ? 'closed-by-user' : 'connection-lost', code);
      void this.tearDown();
      this.life.socketGone(code);
    });
    ws.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        if (this.torn) ws.close();
        this.openedAt = performance.now();
        this.life.setState('open');
        resolve();
      });
      ws.once('unexpected-response', (_q, res) => {
        this.life.socketGone(0);
        reject(new CodedError(res.statusCode === 404 ? 'media-window' : `ari-http-${res.statusCode ?? 0}`, describeTapReason(res.statusCode === 404 ? 'media-window' : 'connection-lost', { url: this.url })));
      });
    });
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      const text = String(data);
      this.mediaStart ??= parseMediaStart(text);
      const digit = parseDtmfEnd(text);
      if (digit) this.events.emit('dtmf', digit);
      return;
    }
    // Audio may come before MEDIA_START on some versions: it is taken all the same.
    if (this.detached || this.life.finished) {
      this.stats.drained++;
      return;
    }
    this.life.deliver(data, this.openedAt);
  }

  /** Tears the tap down: chan_websocket closes cleanly, so this is safe while the call is up. */
  stop(): void {
    if (this.detached) return;
    this.detached = true;
    this.finish('ended', 'closed-by-user', null);
    void this.tearDown();
  }

  forceClose(): void {
    this.stop();
  }

  dispose(): void {
    this.stop();
  }

  /** Deletes what this tap created; the external channel's deletion closes the media socket. */
  private async tearDown(): Promise<void> {
    if (this.torn) return;
    this.torn = true;
    await Promise.allSettled(this.created.map((path) => this.ari.delete(path)));
    // After the deletes: while any object of this instance exists its app stays registered, so no
    // other instance takes the objects for leftovers.
    this.eventsLease?.release();
    // A media socket opened while tear-down ran is closed by the external channel's deletion;
    // if its creation raced past, close it from here (chan_websocket closes cleanly).
    if (this.media && !this.life.isSocketClosed) setTimeout(() => this.media?.close(), 2000).unref();
    if (!this.media) this.life.socketGone(0);
  }

  private failFrom(err: unknown): void {
    const code = (err as { code?: string }).code ?? '';
    const reason: TapReason =
      code === 'ari-unauthorized' ? 'unauthorized'
      : code === 'ari-not-found' ? 'channel-not-found'
      : code === 'unsupported' || code === 'ari-http-400' || code === 'ari-http-501' ? 'unsupported'
      : code === 'media-window' ? 'media-window'
      : code === 'ari-unreachable' ? 'refused'
      : code === 'ari-timeout' ? 'timeout'
      : 'connection-lost';
    const message = reason === 'connection-lost' ? describeError(err) : reason === 'channel-not-found' ? ariChannelNotFound(this.channel, this.url) : undefined;
    this.finish('failed', reason, null, message);
    void this.tearDown();
  }

  private finish(state: 'ended' | 'failed', reason: TapReason, closeCode: number | null, message?: string): void {
    // The media socket outlives the call: tear down as soon as the events socket says it ended.
    if (this.life.finish(state, reason, closeCode, message) && reason === 'call-ended') void this.tearDown();
  }
}

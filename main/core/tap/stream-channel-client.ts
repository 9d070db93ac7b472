import { performance } from 'node:perf_hooks';
import type { IncomingMessage } from 'node:http';
import type { TapTransport } from './tap-transport.ts';
import type { SocketStatsSnapshot } from './socket-stats.ts';
import { LifecycleTransport } from './tap-lifecycle.ts';
import { TapError, describeTapReason, type TapReason } from './tap-reasons.ts';
import { parseWsUrl } from './ws-url.ts';
import { isTlsErrorCode, systemTrustStore } from './tls-trust.ts';
import { StreamChannelSocket } from './stream-channel-socket.ts';

/** The sub-protocol res_ari_stream registers on Asterisk's /ws. */
export const STREAM_CHANNEL_PROTOCOL = 'stream-channel';
/** The header res_ari_stream reads, compared case-sensitively by Asterisk. */
export const CHANNEL_ID_HEADER = 'Channel-ID';

export type { TapState } from '../../../preload/contract.ts';

/** Audio as it arrived: whole little-endian 16-bit samples, stamped on arrival. */
export interface PcmChunk {
  /** SLIN16 bytes; always an even length. */
  readonly data: Buffer;
  /** Wall-clock arrival time, ms since the epoch (fractional). */
  readonly wallClockMs: number;
  /** Monotonic arrival time, ms (performance.now()). */
  readonly monotonicMs: number;
}

/** How a tap finished. */
export interface TapOutcome {
  state: 'ended' | 'failed';
  reason: TapReason;
  message: string;
  closeCode: number | null;
  stats: SocketStatsSnapshot;
}

export interface StreamChannelOptions {
  url: string;
  /** Channel name or uniqueid, sent verbatim in the `Channel-ID` header. */
  channel: string;
  /** Extra request headers for proxies in front of Asterisk. */
  headers?: Record<string, string>;
  basicAuth?: { user: string; password: string };
  /** Accept a certificate that does not verify (self-signed); the choice is per endpoint. */
  allowSelfSigned?: boolean;
  /** Extra CA certificates (PEM) to trust besides the system store. */
  ca?: string[];
  handshakeTimeoutMs?: number;
  /** After open, how long without frames before the state says `silent`. */
  silentAfterMs?: number;
  /** While streaming, how long without frames before the state goes back to `silent` (hold, stall). */
  stallAfterMs?: number;
  /** Zero frames and a 1000 close within this long after open means the channel does not exist. */
  notFoundWindowMs?: number;
  /** Largest binary message accepted; Asterisk sends 640 bytes. */
  maxPayload?: number;
}


const DEFAULTS = { handshakeTimeoutMs: 10_000, silentAfterMs: 300, stallAfterMs: 1000, notFoundWindowMs: 250, maxPayload: 64 * 1024 };
/** How long a forced close waits for a close frame that Asterisk never sends before cutting TCP. */
const FORCE_CLOSE_GRACE_MS = 1000;

/**
 * One stream-channel connection to Asterisk's /ws. Safety rule from the conformance captures:
 * res_ari_stream damages Asterisk when the client closes first while the call is up, so
 * {@link stop} only detaches and keeps reading until the server closes; only
 * {@link forceClose} closes from this side.
 */
export class StreamChannelClient extends LifecycleTransport implements TapTransport {
  readonly kind = 'stream-channel' as const;
  readonly url: string;
  readonly channel: string;
  private readonly opts: Required<Omit<StreamChannelOptions, 'headers' | 'basicAuth' | 'ca'>> & StreamChannelOptions;
  private ws: StreamChannelSocket | undefined;
  private openedAt = 0;
  private silentTimer: NodeJS.Timeout | undefined;
  private stallWatch: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private detached = false;
  private handedOff = false;
  private forced = false;
  private tlsWarning: string | undefined;

  constructor(options: StreamChannelOptions) {
    super({ url: options.url, channel: options.channel });
    this.opts = { ...DEFAULTS, allowSelfSigned: false, ...options };
    this.url = options.url;
    this.channel = options.channel;
  }

  /** True once {@link stop} was called: audio is read and discarded until the server closes. */
  get isDetached(): boolean {
    return this.detached;
  }
  /** True while the TCP connection exists (including while draining after stop). */
  get isSocketOpen(): boolean {
    return this.ws !== undefined && !this.life.isSocketClosed && !this.handedOff;
  }
  /** The sub-protocol the server selected, once open. */
  get protocol(): string | undefined {
    return this.ws?.selectedProtocol || undefined;
  }
  /** Set when a self-signed (unverified) certificate was accepted by choice. */
  get tlsNote(): string | undefined {
    return this.tlsWarning;
  }

  /** Opens the connection. Errors are reported through the outcome, never thrown. */
  connect(): this {
    if (this.ws !== undefined || this.life.finished) return this;
    let url: URL;
    try {
      url = parseWsUrl(this.url);
    } catch (err) {
      this.finish('failed', 'invalid-url', null, err instanceof TapError ? err.message : undefined);
      this.markSocketGone(0);
      return this;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.opts.headers ?? {})) {
      // The tap's own headers cannot be overridden by endpoint configuration.
      if (/^(channel-id|sec-websocket-.*|upgrade|connection|host)$/i.test(name)) continue;
      headers[name] = value;
    }
    if (this.opts.basicAuth) {
      const token = Buffer.from(`${this.opts.basicAuth.user}:${this.opts.basicAuth.password}`).toString('base64');
      headers['Authorization'] = `Basic ${token}`;
    }
    headers[CHANNEL_ID_HEADER] = this.channel;
    const secure = url.protocol === 'wss:';
    const trust = secure && !this.opts.allowSelfSigned ? [...(systemTrustStore() ?? []), ...(this.opts.ca ?? [])] : undefined;
    // Our own handshake and a read-only frame reader: `ws` would close on a server's protocol error.
    const ws = new StreamChannelSocket({
      url,
      protocol: STREAM_CHANNEL_PROTOCOL,
      headers,
      handshakeTimeoutMs: this.opts.handshakeTimeoutMs,
      maxPayload: this.opts.maxPayload,
      ...(secure ? { tls: { rejectUnauthorized: !this.opts.allowSelfSigned, ...(trust && trust.length > 0 ? { ca: trust } : {}) } } : {}),
    });
    this.ws = ws;
    ws.events.on('upgrade', (res) => this.onUpgrade(res));
    ws.events.on('open', () => this.onOpen());
    ws.events.on('binary', (data) => this.onMessage(data));
    ws.events.on('violation', (_kind, message) => this.onViolation(message));
    ws.events.on('httpStatus', (status) => this.finish('failed', `http-${status}`, null));
    ws.events.on('error', (err) => this.onError(err));
    ws.events.on('close', (code) => this.onClose(code));
    ws.connect();
    return this;
  }

  /**
   * Stops delivering audio. The socket stays open and is drained until Asterisk closes it at
   * hangup, because closing first while the call is up crashes res_ari_stream.
   */
  stop(): void {
    this.detached = true;
    this.clearTimers();
  }

  /** Closes from this side even though the call may be up. Only on an explicit user choice. */
  forceClose(): void {
    this.detached = true;
    const ws = this.ws;
    if (!ws || this.life.isSocketClosed) return;
    this.forced = true;
    ws.forceClose(FORCE_CLOSE_GRACE_MS);
  }

  /**
   * Hands the open, detached connection to another process to drain (see
   * StreamChannelSocket.handOff); undefined when it cannot move (TLS, not open, closing). After
   * it, this client is finished here and never touches the socket again.
   */
  handOff(): ReturnType<StreamChannelSocket['handOff']> {
    this.stop();
    const h = this.ws?.handOff();
    if (h) this.handedOff = true;
    return h;
  }

  /** Same as {@link stop}: disposing never closes a live stream-channel socket. */
  dispose(): void {
    this.stop();
  }

  private onUpgrade(res: IncomingMessage): void {
    const socket = res.socket as { authorizationError?: Error } | undefined;
    if (this.opts.allowSelfSigned && socket?.authorizationError) {
      this.tlsWarning = `certificate not verified (${String(socket.authorizationError)}), accepted because the endpoint allows self-signed certificates`;
    }
  }

  private onOpen(): void {
    this.openedAt = performance.now();
    if (this.life.finished) return;
    this.life.setState('open');
    this.silentTimer = setTimeout(() => {
      if (this.life.state === 'open') this.life.setState('silent');
    }, this.opts.silentAfterMs);
    this.silentTimer.unref?.();
    // One coarse check per tap instead of re-arming a timer on every frame (50 per second).
    this.stallWatch = setInterval(() => {
      if (this.life.state === 'streaming' && !this.detached && performance.now() - this.lastFrameAt > this.opts.stallAfterMs) this.life.setState('silent');
    }, Math.min(250, this.opts.stallAfterMs));
    this.stallWatch.unref?.();
  }

  /** The server broke the protocol (a text frame, an oversize or malformed frame): reported, the socket kept draining. */
  private onViolation(message: string): void {
    this.finish('failed', 'protocol', null, `${describeTapReason('protocol', { url: this.url })} (received ${message})`);
    this.detached = true;
  }

  private onMessage(data: Buffer): void {
    if (this.detached || this.life.finished) {
      this.stats.drained += 1;
      return;
    }
    if (this.silentTimer) clearTimeout(this.silentTimer);
    this.silentTimer = undefined;
    this.lastFrameAt = this.life.deliver(data, this.openedAt);
  }

  private onError(err: Error & { code?: string }): void {
    if (this.life.finished) return;
    const opened = this.openedAt > 0;
    const code = err.code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') this.finish('failed', 'dns', null);
    else if (code === 'ECONNREFUSED') this.finish('failed', 'refused', null);
    else if (isTlsErrorCode(code)) this.finish('failed', 'tls', null, `${describeTapReason('tls', { url: this.url })} (${err.message})`);
    else if (code === 'ETIMEDOUT' || code === 'HANDSHAKE_TIMEOUT') this.finish('failed', 'timeout', null);
    else if (opened) this.finish('failed', 'connection-lost', null, `${describeTapReason('connection-lost', { url: this.url })} (${err.message})`);
    else this.finish('failed', 'connection-lost', null, `Could not connect to ${this.url}: ${err.message}`);
  }

  private onClose(code: number): void {
    const opened = this.openedAt > 0;
    if (!this.life.finished) {
      if (this.forced) this.finish('ended', 'closed-by-user', code);
      else if (!opened) this.finish('failed', 'connection-lost', code);
      else if (code === 1000 || code === 1001) {
        const quick = performance.now() - this.openedAt <= this.opts.notFoundWindowMs;
        this.finish('ended', this.stats.frames === 0 && quick && code === 1000 ? 'channel-not-found' : 'call-ended', code);
      } else this.finish('failed', 'connection-lost', code, `${describeTapReason('connection-lost', { url: this.url })} (close code ${code})`);
    }
    this.markSocketGone(code);
  }

  private markSocketGone(code: number): void {
    this.clearTimers();
    this.life.socketGone(code);
  }

  private finish(state: 'ended' | 'failed', reason: TapReason, closeCode: number | null, message?: string): void {
    if (this.life.finished) return;
    this.clearTimers();
    this.life.finish(state, reason, closeCode, message);
  }

  private clearTimers(): void {
    if (this.silentTimer) clearTimeout(this.silentTimer);
    if (this.stallWatch) clearInterval(this.stallWatch);
    this.silentTimer = undefined;
    this.stallWatch = undefined;
  }
}

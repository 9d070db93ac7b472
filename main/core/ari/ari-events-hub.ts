import WebSocket from 'ws';
import { CodedError } from '../common/coded-error.ts';

/** The part of an ARI event a tap reads. */
export interface AriEvent {
  type: string;
  channel?: { id?: string };
}

export interface AriEventsListener {
  event(ev: AriEvent): void;
  /** The events socket closed while this lease held it: the end of the call can no longer be seen. */
  lost(): void;
}

/** One holder's share of an events socket; release() once, when the holder no longer needs events. */
export interface AriEventsLease {
  /** Resolves when the socket is open (the Stasis app is registered); rejects with a coded error. */
  readonly ready: Promise<void>;
  release(): void;
}

/**
 * One ARI events socket (`/ari/events?app=…`) shared by every leg of one app instance on one
 * server. Asterisk replaces a Stasis app when a second socket registers the same name (part C),
 * so legs must not open their own: the first would stop hearing its ChannelDestroyed. The socket
 * opens with the first lease and closes when the last is released.
 */
export class AriEventsHub {
  private readonly url: string;
  private readonly onEmpty: () => void;
  private readonly listeners = new Set<AriEventsListener>();
  private ws: WebSocket | undefined;
  private readonly opened: Promise<void>;
  private closing = false;
  private resolveClosed!: () => void;
  /** Resolves when this hub's socket is closed for good (or was never opened). */
  readonly closed = new Promise<void>((r) => (this.resolveClosed = r));

  /**
   * `wsBase` is ws(s)://host:port (the ARI URL without /ari). The socket opens once `after`
   * settles: the previous socket of the same app must be gone first, or its closing could
   * unregister the app name the new one just took.
   */
  constructor(wsBase: string, app: string, user: string, password: string, onEmpty: () => void, after: Promise<void> = Promise.resolve()) {
    this.onEmpty = onEmpty;
    this.url = `${wsBase}/ari/events?app=${encodeURIComponent(app)}`;
    const key = encodeURIComponent(`${user}:${password}`);
    this.opened = after.then(() => {
      if (this.closing) throw new CodedError('ari-unreachable', 'The ARI events socket was no longer needed.');
      return this.connect(`${this.url}&api_key=${key}`);
    });
    // A failed open is reported through each lease's ready; this keeps it from being unhandled.
    this.opened.catch(() => undefined);
  }

  private connect(url: string): Promise<void> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 });
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let ev: unknown;
      try {
        ev = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof ev !== 'object' || ev === null || typeof (ev as { type?: unknown }).type !== 'string') return;
      for (const l of [...this.listeners]) l.event(ev as AriEvent);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.resolveClosed();
      if (this.closing) return;
      this.closing = true;
      this.onEmpty();
      for (const l of [...this.listeners]) l.lost();
      this.listeners.clear();
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_q, res) => {
        const status = res.statusCode ?? 0;
        reject(new CodedError(status === 401 ? 'ari-unauthorized' : `ari-http-${status}`, `The ARI events socket (${this.url}) answered HTTP ${status}.`));
        res.resume();
        ws.terminate();
      });
      ws.once('error', (err) => reject(new CodedError('ari-unreachable', `Cannot open the ARI events socket (${this.url}): ${err.message}.`, { cause: err })));
    });
  }

  /** Adds a holder; the socket stays open while any holder remains. */
  acquire(listener: AriEventsListener): AriEventsLease {
    this.listeners.add(listener);
    let released = false;
    return {
      ready: this.opened,
      release: () => {
        if (released) return;
        released = true;
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.close();
      },
    };
  }

  get holders(): number {
    return this.listeners.size;
  }

  /** Closes now whoever still holds it (the app is shutting down); holders hear lost(). */
  dispose(): void {
    this.close();
    for (const l of [...this.listeners]) l.lost();
    this.listeners.clear();
  }

  private close(): void {
    if (this.closing) return;
    this.closing = true;
    this.onEmpty();
    // The events socket carries no audio: closing it first is clean for Asterisk.
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) this.resolveClosed();
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else {
      ws.close(1000);
      // A server that never answers the close must not hold the next socket back for ws's 30 s.
      setTimeout(() => ws.terminate(), 2000).unref();
    }
  }
}

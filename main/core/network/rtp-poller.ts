import type { Disposable } from '../common/disposable.ts';
import { toDisposable } from '../common/disposable.ts';
import { describeError } from '../common/coded-error.ts';
import type { RtpStatistics } from '../ari/rtp-statistics.ts';

/** Where statistics come from: the ARI client, or a fake in tests. */
export interface RtpSource {
  rtpStatistics(uniqueid: string): Promise<RtpStatistics>;
}

/** Timers and time, injectable so tests run the poller on a fake clock. */
export interface PollerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_CLOCK: PollerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * One poll's result. `no-rtp`: Asterisk answered 403 (Local, WebSocket: the channel type has no
 * RTP); `gone`: 404 (the channel hung up). Both end the polling of that channel, quietly.
 * `error`: anything else (timeout, 500, a malformed answer); polling goes on.
 */
export type RtpSample = { status: 'ok'; atMs: number; stats: RtpStatistics } | { status: 'no-rtp' | 'gone' | 'error'; atMs: number; message: string };

export const RTP_POLL_MS = 2000;

interface Watched {
  listeners: Set<(s: RtpSample) => void>;
  timer: unknown;
  /** Polling ended for good (403/404) or nobody listens any more. */
  done: boolean;
  last: RtpSample | undefined;
}

/**
 * Polls ARI's rtp_statistics for the channels someone watches: once per channel however many
 * taps watch it, one request at a time per channel (the next is scheduled when the last answered,
 * so a slow PBX is never asked twice at once), and not at all once nobody watches.
 */
export class RtpPoller implements Disposable {
  private readonly source: RtpSource;
  private readonly intervalMs: number;
  private readonly clock: PollerClock;
  private readonly channels = new Map<string, Watched>();

  constructor(opts: { source: RtpSource; intervalMs?: number; clock?: PollerClock }) {
    this.source = opts.source;
    this.intervalMs = opts.intervalMs ?? RTP_POLL_MS;
    this.clock = opts.clock ?? REAL_CLOCK;
  }

  /** Channels polled now (for tests and diagnostics). */
  get polling(): string[] {
    return [...this.channels.entries()].filter(([, w]) => !w.done).map(([id]) => id);
  }

  /** Calls `listener` with every poll of `uniqueid` (the latest at once, if any) until disposed. */
  watch(uniqueid: string, listener: (s: RtpSample) => void): Disposable {
    let w = this.channels.get(uniqueid);
    if (!w) {
      w = { listeners: new Set(), timer: undefined, done: false, last: undefined };
      this.channels.set(uniqueid, w);
      this.poll(uniqueid, w);
    } else if (w.last) listener(w.last);
    w.listeners.add(listener);
    const watched = w;
    return toDisposable(() => {
      watched.listeners.delete(listener);
      if (watched.listeners.size > 0) return;
      this.stop(uniqueid, watched);
    });
  }

  private stop(uniqueid: string, w: Watched): void {
    w.done = true;
    if (w.timer !== undefined) this.clock.clearTimeout(w.timer);
    w.timer = undefined;
    if (this.channels.get(uniqueid) === w) this.channels.delete(uniqueid);
  }

  private poll(uniqueid: string, w: Watched): void {
    w.timer = undefined;
    this.source.rtpStatistics(uniqueid).then(
      (stats) => this.deliver(uniqueid, w, { status: 'ok', atMs: this.clock.now(), stats }),
      (err: unknown) => {
        const code = (err as { code?: unknown } | null)?.code;
        const status = code === 'ari-http-403' ? 'no-rtp' : code === 'ari-not-found' ? 'gone' : 'error';
        const message =
          status === 'no-rtp' ? 'Asterisk has no RTP statistics for this channel type (Local and WebSocket channels carry no RTP).' : status === 'gone' ? 'The channel is gone.' : `RTP statistics unavailable: ${describeError(err)}`;
        this.deliver(uniqueid, w, { status, atMs: this.clock.now(), message });
      },
    );
  }

  private deliver(uniqueid: string, w: Watched, sample: RtpSample): void {
    if (w.done) return;
    w.last = sample;
    for (const l of [...w.listeners]) l(sample);
    // 403 and 404 do not change while the channel lives: stop asking.
    if (sample.status === 'no-rtp' || sample.status === 'gone') {
      w.done = true;
      return;
    }
    if (!w.done) w.timer = this.clock.setTimeout(() => this.poll(uniqueid, w), this.intervalMs);
  }

  dispose(): void {
    for (const [id, w] of [...this.channels]) this.stop(id, w);
  }
}

import { performance } from 'node:perf_hooks';
import { TypedEmitter } from '../common/typed-emitter.ts';
import { PcmAssembler } from './pcm-assembler.ts';
import { SocketStats } from './socket-stats.ts';
import { describeTapReason, isEndReason, type TapReason } from './tap-reasons.ts';
import type { TapOutcome, TapState } from './stream-channel-client.ts';
import type { TapTransportEvents } from './tap-transport.ts';

/**
 * What every transport keeps the same way: its state, its one outcome, the socket's one close,
 * and turning binary frames into counted, stamped, whole-sample audio.
 */
export class TapLifecycle {
  readonly events = new TypedEmitter<TapTransportEvents>();
  readonly stats = new SocketStats();
  readonly outcome: Promise<TapOutcome>;
  readonly socketClosed: Promise<void>;
  private readonly assembler = new PcmAssembler();
  private readonly where: { url: string; channel: string };
  private current: TapState = 'connecting';
  private result: TapOutcome | undefined;
  private closed = false;
  private resolveOutcome!: (o: TapOutcome) => void;
  private resolveClosed!: () => void;

  constructor(where: { url: string; channel: string }) {
    this.where = where;
    this.outcome = new Promise((r) => (this.resolveOutcome = r));
    this.socketClosed = new Promise((r) => (this.resolveClosed = r));
  }

  get state(): TapState {
    return this.current;
  }
  /** True once the outcome is known. */
  get finished(): boolean {
    return this.result !== undefined;
  }
  get isSocketClosed(): boolean {
    return this.closed;
  }

  setState(state: TapState): void {
    if (this.current === state) return;
    this.current = state;
    this.events.emit('state', state);
  }

  /** Settles the outcome once; later calls are ignored. Returns whether this call settled it. */
  finish(state: 'ended' | 'failed', reason: TapReason, closeCode: number | null, message?: string): boolean {
    if (this.result) return false;
    const outcome: TapOutcome = {
      state: isEndReason(reason) ? 'ended' : state,
      reason,
      message: message ?? describeTapReason(reason, this.where),
      closeCode,
      stats: this.stats.snapshot(),
    };
    this.result = outcome;
    this.setState(outcome.state);
    this.events.emit('outcome', outcome);
    this.resolveOutcome(outcome);
    return true;
  }

  /** Counts a binary frame and delivers its whole samples, stamped on arrival. Returns the arrival time. */
  deliver(data: Buffer, openedAt: number): number {
    const now = performance.now();
    this.stats.recordFrame(data.length, now, openedAt);
    if (this.current !== 'streaming') this.setState('streaming');
    const samples = this.assembler.push(data);
    if (samples.length > 0) this.events.emit('pcm', { data: samples, wallClockMs: performance.timeOrigin + now, monotonicMs: now });
    return now;
  }

  /** The socket is gone for good (once). A lone held byte is half a sample: nothing can be made of it. */
  socketGone(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.assembler.flush();
    this.events.emit('socketClosed', code);
    this.resolveClosed();
  }
}

/** The part of {@link TapTransport} every transport answers from its lifecycle. */
export abstract class LifecycleTransport {
  protected readonly life: TapLifecycle;

  protected constructor(where: { url: string; channel: string }) {
    this.life = new TapLifecycle(where);
  }

  get events(): TypedEmitter<TapTransportEvents> {
    return this.life.events;
  }
  get stats(): SocketStats {
    return this.life.stats;
  }
  get state(): TapState {
    return this.life.state;
  }
  /** Resolves when the tap ended or failed. */
  get outcome(): Promise<TapOutcome> {
    return this.life.outcome;
  }
  /** Resolves when the socket is closed for good (after draining, for stream-channel). */
  get socketClosed(): Promise<void> {
    return this.life.socketClosed;
  }
}

import { performance } from 'node:perf_hooks';

/** What a page does with a tap: hears it (listening), only shows its waveform, or neither. */
export type TapAttention = 'heard' | 'shown' | 'hidden';

/**
 * How long a tap's audio may be held for one page before it is sent, by what the page does with
 * it: heard audio goes at once (the player's latency); a waveform draws a picture about every
 * 40 ms, so audio only shown can travel in pieces of that length; a tap in a background tab only
 * needs its columns kept up, four times a second. Each message costs the page's browser a fixed
 * amount whatever it carries (bench/README.md, latency), so fewer, larger ones are cheaper.
 */
export const PACE_MS: Record<TapAttention, number> = { heard: 0, shown: 40, hidden: 250 };

interface Pending {
  tapNumber: number;
  leg: number;
  wallClockMs: number;
  chunks: Buffer[];
  /** When the first chunk was held (monotonic ms). */
  since: number;
  due: number;
}

/**
 * One page's pacing of the data plane. Taps the page has never named go at once (as they did
 * before it said anything); once named, a tap's audio is held for its PACE_MS and sent as one
 * packet per leg (the first chunk's wall clock, the chunks in order).
 */
export class PcmPacer {
  private readonly send: (tapNumber: number, leg: number, wallClockMs: number, data: Buffer) => void;
  private readonly now: () => number;
  private readonly heard = new Set<number>();
  private readonly shown = new Set<number>();
  private readonly named = new Set<number>();
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private disposed = false;

  constructor(send: (tapNumber: number, leg: number, wallClockMs: number, data: Buffer) => void, now: () => number = () => performance.now()) {
    this.send = send;
    this.now = now;
  }

  attentionOf(tapNumber: number): TapAttention {
    if (!this.named.has(tapNumber) || this.heard.has(tapNumber)) return 'heard';
    return this.shown.has(tapNumber) ? 'shown' : 'hidden';
  }

  /** What the page now hears and shows; audio held for a tap that is now heard goes at once. */
  setAttention(heard: readonly number[], shown: readonly number[]): void {
    this.heard.clear();
    this.shown.clear();
    for (const n of heard) this.heard.add(n);
    for (const n of shown) this.shown.add(n);
    for (const n of [...heard, ...shown]) this.named.add(n);
    const now = this.now();
    for (const [key, p] of this.pending) {
      // Held under the old attention: due by the new pace if that is sooner.
      p.due = Math.min(p.due, p.since + PACE_MS[this.attentionOf(p.tapNumber)]);
      if (p.due <= now) this.flushOne(key, p);
    }
    this.arm();
  }

  push(tapNumber: number, leg: number, wallClockMs: number, data: Buffer): void {
    if (this.disposed) return;
    const pace = PACE_MS[this.attentionOf(tapNumber)];
    const key = `${tapNumber}:${leg}`;
    const held = this.pending.get(key);
    if (pace === 0 && !held) return this.send(tapNumber, leg, wallClockMs, data);
    const now = this.now();
    const p = held ?? { tapNumber, leg, wallClockMs, chunks: [], since: now, due: now + pace };
    p.chunks.push(data);
    if (!held) this.pending.set(key, p);
    if (pace === 0 || p.due <= now) this.flushOne(key, p);
    this.arm();
  }

  /** Audio held for taps is dropped with the timer (the page went away). */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private flushOne(key: string, p: Pending): void {
    this.pending.delete(key);
    if (p.chunks.length > 0) this.send(p.tapNumber, p.leg, p.wallClockMs, p.chunks.length === 1 ? p.chunks[0]! : Buffer.concat(p.chunks));
  }

  private arm(): void {
    let next = Infinity;
    for (const p of this.pending.values()) next = Math.min(next, p.due);
    if (next === this.timerDue && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = next;
    if (next === Infinity || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      const now = this.now();
      for (const [key, p] of this.pending) if (p.due <= now) this.flushOne(key, p);
      this.arm();
    }, Math.max(0, next - this.now()));
  }
}

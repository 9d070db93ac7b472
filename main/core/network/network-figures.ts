import type { NetworkFiguresView, NetworkThresholds } from '../../../preload/contract.ts';
import type { RtpStatistics } from '../ari/rtp-statistics.ts';

/** Defaults for the thresholds (each is a setting): what most VoIP guides call "audibly bad". */
export const DEFAULT_NETWORK_THRESHOLDS: NetworkThresholds = { lossPct: 2, jitterMs: 30, rttMs: 300 };

/** Accepts settings from a file: known keys with positive finite numbers; anything else keeps its default. */
export function parseNetworkThresholds(v: unknown): NetworkThresholds {
  const out = { ...DEFAULT_NETWORK_THRESHOLDS };
  if (typeof v !== 'object' || v === null) return out;
  for (const k of Object.keys(out) as (keyof NetworkThresholds)[]) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'number' && Number.isFinite(x) && x > 0) out[k] = x;
  }
  return out;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * A leg's figures from two consecutive polls: loss over the interval between them (so an old
 * burst does not colour the strip for the rest of the call), jitter and RTT as Asterisk reports
 * them now, in ms. `in` is what the channel sends into Asterisk (Asterisk's rx), `out` what
 * Asterisk sends to it (tx, as the far end's RTCP reports it). Counters that went backwards (a
 * re-INVITE resets them) count from zero.
 */
export function figuresBetween(prev: RtpStatistics | undefined, cur: RtpStatistics, direction: 'in' | 'out'): NetworkFiguresView {
  const pick = (s: RtpStatistics) => (direction === 'in' ? { count: s.rxcount, lost: s.rxploss } : { count: s.txcount, lost: s.txploss });
  const now = pick(cur);
  const before = prev ? pick(prev) : { count: 0, lost: 0 };
  let count = now.count - before.count;
  let lost = now.lost - before.lost;
  if (count < 0 || lost < 0) ({ count, lost } = { count: now.count, lost: Math.max(0, now.lost) });
  // rx counts what arrived (expected = arrived + lost); tx counts what was sent (lost is part of it).
  const expected = direction === 'in' ? count + lost : count;
  const lossPct = expected > 0 ? Math.min(100, (100 * lost) / expected) : 0;
  return {
    lossPct: round1(lossPct),
    jitterMs: round1((direction === 'in' ? cur.rxjitter : cur.txjitter) * 1000),
    rttMs: round1(cur.rtt * 1000),
    mes: direction === 'in' ? cur.rxmes : cur.txmes,
  };
}

export type NetworkMetric = 'loss' | 'jitter' | 'rtt';

/** Which figures are above their thresholds. */
export function overThresholds(f: NetworkFiguresView, t: NetworkThresholds): Record<NetworkMetric, boolean> {
  return { loss: f.lossPct > t.lossPct, jitter: f.jitterMs > t.jitterMs, rtt: f.rttMs > t.rttMs };
}

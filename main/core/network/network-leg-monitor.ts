import type { FindingViewSeverity, FindingView, NetworkFiguresView, NetworkThresholds, NetworkView } from '../../../preload/contract.ts';
import type { RtpStatistics } from '../ari/rtp-statistics.ts';
import type { RtpSample } from './rtp-poller.ts';
import { figuresBetween, overThresholds, type NetworkMetric } from './network-figures.ts';

export interface NetworkLegOptions {
  tapId: string;
  leg: number;
  channel: string;
  direction: 'in' | 'out';
  thresholds: NetworkThresholds;
  newId: () => string;
}

const METRICS: readonly NetworkMetric[] = ['loss', 'jitter', 'rtt'];
const VALUE: Record<NetworkMetric, (f: NetworkFiguresView) => number> = { loss: (f) => f.lossPct, jitter: (f) => f.jitterMs, rtt: (f) => f.rttMs };
const LIMIT: Record<NetworkMetric, (t: NetworkThresholds) => number> = { loss: (t) => t.lossPct, jitter: (t) => t.jitterMs, rtt: (t) => t.rttMs };
const UNIT: Record<NetworkMetric, string> = { loss: ' %', jitter: ' ms', rtt: ' ms' };
const NAME: Record<NetworkMetric, string> = { loss: 'Packet loss', jitter: 'Jitter', rtt: 'Round-trip time' };

/**
 * Turns one leg's polls into figures for the strip and `network` findings: a finding opens when a
 * figure goes above its threshold, grows (worst value, severity) while it stays above, and ends at
 * the first poll back under it. Twice the threshold is an error, above it a warning.
 */
export class NetworkLegMonitor {
  private readonly opts: NetworkLegOptions;
  private prev: RtpStatistics | undefined;
  /** When the previous poll answered: loss is counted over the interval since then. */
  private prevAt: number | undefined;
  private readonly open = new Map<NetworkMetric, FindingView>();

  constructor(opts: NetworkLegOptions) {
    this.opts = opts;
  }

  /** The view for the strip, and the findings that started, grew or ended with this poll. */
  onSample(sample: RtpSample): { view: NetworkView; findings: FindingView[] } {
    const { tapId, leg, thresholds } = this.opts;
    if (sample.status !== 'ok') {
      const findings = sample.status === 'error' ? [] : this.closeAll(sample.atMs);
      return { view: { tapId, leg, status: sample.status, figures: null, thresholds, message: sample.message, atMs: sample.atMs }, findings };
    }
    const figures = figuresBetween(this.prev, sample.stats, this.opts.direction);
    const since = this.prevAt ?? sample.atMs;
    this.prev = sample.stats;
    this.prevAt = sample.atMs;
    const over = overThresholds(figures, thresholds);
    const findings: FindingView[] = [];
    for (const m of METRICS) {
      const current = this.open.get(m);
      if (over[m]) findings.push(this.grow(m, figures, m === 'loss' ? since : sample.atMs, current));
      else if (current) {
        current.endedAt = sample.atMs;
        this.open.delete(m);
        findings.push({ ...current });
      }
    }
    return { view: { tapId, leg, status: 'ok', figures, thresholds, message: null, atMs: sample.atMs }, findings };
  }

  private grow(m: NetworkMetric, f: NetworkFiguresView, atMs: number, current: FindingView | undefined): FindingView {
    const { tapId, leg, channel, direction, thresholds } = this.opts;
    const value = VALUE[m](f);
    const limit = LIMIT[m](thresholds);
    const worst = Math.max(value, Number(current?.figures?.['worst'] ?? 0));
    const severity: FindingViewSeverity = worst > 2 * limit ? 'error' : 'warning';
    const way = m === 'rtt' ? '' : direction === 'in' ? ' from the channel' : ' to the channel';
    const finding: FindingView = {
      id: current?.id ?? this.opts.newId(),
      tapId,
      kind: 'network',
      severity,
      leg,
      channel,
      message: `${NAME[m]}${way} ${value}${UNIT[m]} (threshold ${limit}${UNIT[m]}${worst > value ? `, worst ${worst}${UNIT[m]}` : ''})`,
      key: `network:${m}:${leg}`,
      startedAt: current?.startedAt ?? atMs,
      endedAt: null,
      figures: { metric: m, value, worst, threshold: limit, lossPct: f.lossPct, jitterMs: f.jitterMs, rttMs: f.rttMs },
    };
    this.open.set(m, finding);
    return { ...finding };
  }

  /** Ends every open finding (the leg or the tap ended). */
  closeAll(atMs: number): FindingView[] {
    const out = [...this.open.values()].map((f) => ({ ...f, endedAt: atMs }));
    this.open.clear();
    return out;
  }
}

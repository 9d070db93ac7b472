import { randomUUID } from 'node:crypto';
import type { FindingView, NetworkThresholds, NetworkView } from '../../../preload/contract.ts';
import type { Disposable } from '../common/disposable.ts';
import { AriClient } from '../ari/ari-client.ts';
import { RtpPoller } from './rtp-poller.ts';
import { TapNetwork } from './tap-network.ts';

export interface NetworkServiceOptions {
  thresholds: NetworkThresholds;
  /** Poll period (default 2 s). */
  pollMs?: number;
  onView: (view: NetworkView) => void;
  onFinding: (finding: FindingView) => void;
}

/**
 * Asterisk's RTP figures for the taps of every endpoint with ARI: one poller per ARI server (so a
 * channel tapped twice is polled once), a {@link TapNetwork} per tap.
 */
export class NetworkService implements Disposable {
  private readonly opts: NetworkServiceOptions;
  private readonly pollers = new Map<string, { client: AriClient; poller: RtpPoller }>();

  constructor(opts: NetworkServiceOptions) {
    this.opts = opts;
  }

  /** Starts watching a tap's legs; undefined (nothing to do) when the endpoint has no ARI. */
  watchTap(tapId: string, ari: { url: string; user: string; password: string } | undefined, legs: { channel: string; direction: 'in' | 'out' }[]): TapNetwork | undefined {
    if (!ari) return undefined;
    const key = `${ari.url}\n${ari.user}\n${ari.password}`;
    let entry = this.pollers.get(key);
    if (!entry) {
      const client = new AriClient(ari);
      entry = { client, poller: new RtpPoller({ source: client, ...(this.opts.pollMs ? { intervalMs: this.opts.pollMs } : {}) }) };
      this.pollers.set(key, entry);
    }
    const { client, poller } = entry;
    const net = new TapNetwork({
      tapId,
      legs,
      poller,
      resolve: async (channels) => {
        const live = await client.channels();
        return channels.map((c) => live.find((l) => l.id === c || l.name === c)?.id);
      },
      thresholds: this.opts.thresholds,
      newId: () => randomUUID(),
      now: () => Date.now(),
      onView: this.opts.onView,
      onFinding: this.opts.onFinding,
    });
    void net.start();
    return net;
  }

  dispose(): void {
    for (const { poller } of this.pollers.values()) poller.dispose();
    this.pollers.clear();
  }
}

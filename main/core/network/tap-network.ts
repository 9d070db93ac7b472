import type { FindingView, NetworkThresholds, NetworkView } from '../../../preload/contract.ts';
import type { Disposable } from '../common/disposable.ts';
import { describeError } from '../common/coded-error.ts';
import { NetworkLegMonitor } from './network-leg-monitor.ts';
import type { RtpPoller } from './rtp-poller.ts';

export interface TapNetworkOptions {
  tapId: string;
  legs: { channel: string; direction: 'in' | 'out' }[];
  poller: RtpPoller;
  /** Channel names (or uniqueids) to uniqueids, from one ARI listing: ARI's rtp_statistics takes uniqueids only. */
  resolve: (channels: string[]) => Promise<(string | undefined)[]>;
  thresholds: NetworkThresholds;
  newId: () => string;
  now: () => number;
  onView: (view: NetworkView) => void;
  onFinding: (finding: FindingView) => void;
}

/**
 * The network side of one tap: each leg's channel watched on the endpoint's poller (shared with
 * every other tap of that channel), its figures and findings passed on, until the leg or the tap ends.
 */
export class TapNetwork implements Disposable {
  private readonly opts: TapNetworkOptions;
  private readonly monitors: NetworkLegMonitor[];
  private readonly watches: (Disposable | undefined)[];
  private disposed = false;

  constructor(opts: TapNetworkOptions) {
    this.opts = opts;
    this.monitors = opts.legs.map((l, leg) => new NetworkLegMonitor({ tapId: opts.tapId, leg, channel: l.channel, direction: l.direction, thresholds: opts.thresholds, newId: opts.newId }));
    this.watches = opts.legs.map(() => undefined);
  }

  async start(): Promise<void> {
    const { tapId, thresholds } = this.opts;
    const view = (leg: number, status: NetworkView['status'], message: string | null): NetworkView => ({ tapId, leg, status, figures: null, thresholds, message, atMs: this.opts.now() });
    this.opts.legs.forEach((_, leg) => this.opts.onView(view(leg, 'waiting', 'Waiting for the first RTP statistics from Asterisk…')));
    let ids: (string | undefined)[];
    try {
      ids = await this.opts.resolve(this.opts.legs.map((l) => l.channel));
    } catch (err) {
      if (!this.disposed) this.opts.legs.forEach((_, leg) => this.opts.onView(view(leg, 'error', `RTP statistics unavailable: ${describeError(err)}`)));
      return;
    }
    if (this.disposed) return;
    ids.forEach((id, leg) => {
      if (id === undefined) return this.opts.onView(view(leg, 'gone', 'ARI does not list this channel.'));
      this.watches[leg] = this.opts.poller.watch(id, (sample) => {
        const { view: v, findings } = this.monitors[leg]!.onSample(sample);
        this.opts.onView(v);
        findings.forEach((f) => this.opts.onFinding(f));
      });
    });
  }

  /** A leg ended (call over): stop watching it and end its findings. */
  endLeg(leg: number): void {
    this.watches[leg]?.dispose();
    this.watches[leg] = undefined;
    this.monitors[leg]?.closeAll(this.opts.now()).forEach((f) => this.opts.onFinding(f));
  }

  dispose(): void {
    if (this.disposed) return;
    this.opts.legs.forEach((_, leg) => this.endLeg(leg));
    this.disposed = true;
  }
}

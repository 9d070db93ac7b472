import type { FindingView, NetworkFiguresView, NetworkView, ReviewMarker } from '../../../preload/contract.ts';

/** Bounds, so a tap left open for days cannot grow without limit. */
const MAX_FINDINGS = 5000;
const MAX_NETWORK_SAMPLES = 20_000;

/** One poll's figures as the sidecar keeps them, in ms from the recording's first sample. */
export interface NetworkSample extends NetworkFiguresView {
  atMs: number;
  leg: number;
}

/**
 * What a tap found (detectors and network) and the network figures it saw, kept with wall-clock
 * times so that a recording started at any moment gets the part that falls into it.
 */
export class TapFindings {
  private readonly byId = new Map<string, FindingView>();
  private readonly network: { at: number; leg: number; figures: NetworkFiguresView }[] = [];
  private readonly lastNetwork = new Map<number, NetworkView>();

  /** A finding started, grew or ended: the latest version replaces the earlier one. */
  upsert(f: FindingView): void {
    this.byId.delete(f.id);
    if (f.withdrawn) return;
    this.byId.set(f.id, f);
    if (this.byId.size > MAX_FINDINGS) this.byId.delete(this.byId.keys().next().value!);
  }

  list(): FindingView[] {
    return [...this.byId.values()];
  }

  noteNetwork(v: NetworkView): void {
    this.lastNetwork.set(v.leg, v);
    if (v.status !== 'ok' || !v.figures) return;
    this.network.push({ at: v.atMs, leg: v.leg, figures: v.figures });
    if (this.network.length > MAX_NETWORK_SAMPLES) this.network.splice(0, this.network.length - MAX_NETWORK_SAMPLES);
  }

  /** The latest figures (or status) of each leg. */
  latestNetwork(): NetworkView[] {
    return [...this.lastNetwork.values()];
  }

  /**
   * The sidecar's share of a recording that started at wall-clock `startWall` and ended at
   * `endWall`: findings overlapping it as markers of their kind (a region when they last), and the
   * network figures polled during it. `leg` keeps one leg's (and whole-call) findings for a per-leg
   * file; null keeps everything (the call's stereo file).
   */
  forRecording(startWall: number, endWall: number, leg: number | null): { markers: ReviewMarker[]; network: NetworkSample[] } {
    const mine = (l: number | null): boolean => leg === null || l === null || l === leg;
    const markers: ReviewMarker[] = [];
    for (const f of this.byId.values()) {
      const end = f.endedAt ?? endWall;
      if (!mine(f.leg) || end < startWall || f.startedAt > endWall) continue;
      const atMs = Math.max(0, f.startedAt - startWall);
      const endMs = Math.min(endWall, end) - startWall;
      markers.push({ atMs, ...(endMs > atMs ? { endMs } : {}), label: f.message, kind: f.kind, severity: f.severity, leg: f.leg });
    }
    const network = this.network.filter((s) => mine(s.leg) && s.at >= startWall && s.at <= endWall).map((s) => ({ atMs: s.at - startWall, leg: s.leg, ...s.figures }));
    return { markers, network };
  }
}

import type { FindingViewSeverity, FindingView, NetworkView, ReviewMarker } from '../../preload/contract.ts';
import { TypedEmitter } from '../common/typed-emitter.ts';

/** A tap's health as badges show it: the worst severity of what is wrong now or was found. */
export type Health = 'ok' | 'warning' | 'error';

/** Findings kept per tap in the page; older ones go first beyond this. */
const MAX_FINDINGS = 2000;

const RANK: Record<FindingViewSeverity, number> = { info: 0, warning: 1, error: 2 };

/** One row of the Problems panel: the repeats of one problem on one tap (same key). */
export interface ProblemGroup {
  tapId: string;
  key: string;
  latest: FindingView;
  first: FindingView;
  count: number;
  severity: FindingViewSeverity;
  inProgress: boolean;
}

/**
 * What the workbench knows about the calls' health: every finding (latest version by id) and the
 * latest network figures per tap and leg, as the core sends them.
 */
export class FindingsState {
  readonly changes = new TypedEmitter<{ findings: () => void; network: (tapId: string) => void }>();
  private readonly findings = new Map<string, FindingView>();
  private readonly network = new Map<string, NetworkView>();
  /** Findings of the recordings open in review (their sidecar's markers with a kind), by name. */
  private readonly recordings = new Map<string, ReviewMarker[]>();

  /** A review editor shows these findings of a recording (an empty list: it closed). */
  setRecording(name: string, markers: ReviewMarker[]): void {
    const found = markers.filter((m) => m.kind !== undefined);
    if (found.length > 0) this.recordings.set(name, found);
    else this.recordings.delete(name);
    this.changes.emit('findings');
  }

  recordingFindings(): { name: string; markers: ReviewMarker[] }[] {
    return [...this.recordings.entries()].map(([name, markers]) => ({ name, markers }));
  }

  upsert(f: FindingView): void {
    this.findings.delete(f.id);
    if (!f.withdrawn) this.findings.set(f.id, f);
    if (this.findings.size > MAX_FINDINGS) this.findings.delete(this.findings.keys().next().value!);
    this.changes.emit('findings');
  }

  setNetwork(v: NetworkView): void {
    this.network.set(`${v.tapId}:${v.leg}`, v);
    this.changes.emit('network', v.tapId);
  }

  networkOf(tapId: string, leg: number): NetworkView | undefined {
    return this.network.get(`${tapId}:${leg}`);
  }

  all(): FindingView[] {
    return [...this.findings.values()];
  }

  ofTap(tapId: string): FindingView[] {
    return this.all().filter((f) => f.tapId === tapId);
  }

  /** Repeats of one problem (same tap and key) as one row, newest first, worst first among equals. */
  groups(): ProblemGroup[] {
    const by = new Map<string, ProblemGroup>();
    for (const f of this.findings.values()) {
      const k = `${f.tapId}\n${f.key}`;
      const g = by.get(k);
      if (!g) {
        by.set(k, { tapId: f.tapId, key: f.key, latest: f, first: f, count: 1, severity: f.severity, inProgress: f.endedAt === null });
        continue;
      }
      g.count++;
      if (f.startedAt >= g.latest.startedAt) g.latest = f;
      if (f.startedAt < g.first.startedAt) g.first = f;
      if (RANK[f.severity] > RANK[g.severity]) g.severity = f.severity;
      g.inProgress ||= f.endedAt === null;
    }
    return [...by.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.latest.startedAt - a.latest.startedAt);
  }

  /**
   * A tap's badge: error or warning while such a finding is in progress or was found in the last
   * `recentMs`; info findings (DTMF digits) never make a tap unhealthy.
   */
  health(tapId: string, now = Date.now(), recentMs = 60_000): Health {
    let worst = 0;
    for (const f of this.findings.values()) {
      if (f.tapId !== tapId || f.severity === 'info') continue;
      if (f.endedAt !== null && now - f.endedAt > recentMs) continue;
      worst = Math.max(worst, RANK[f.severity]);
    }
    return worst === 2 ? 'error' : worst === 1 ? 'warning' : 'ok';
  }

  /** Counts by severity, for the status bar. */
  counts(tapIds?: Set<string>): Record<FindingViewSeverity, number> {
    const out: Record<FindingViewSeverity, number> = { info: 0, warning: 0, error: 0 };
    for (const g of this.groups()) if (!tapIds || tapIds.has(g.tapId)) out[g.severity]++;
    return out;
  }
}

import type { Finding, FindingProgress, FindingView } from '../../../preload/contract.ts';
import type { Disposable } from '../common/disposable.ts';
import { CallAnalyzer } from '../diagnostics/call-analyzer.ts';
import type { DetectorSettingsPatch } from '../diagnostics/detector-settings.ts';
import type { StreamDetector } from './tap-stage.ts';

export interface LiveDiagnosticsOptions {
  tapId: string;
  /** The tap's legs' channels, in leg order. */
  channels: string[];
  /** The tap's title: the "channel" of a finding about the whole call. */
  title: string;
  settings?: DetectorSettingsPatch;
  onFinding: (f: FindingView) => void;
}

/** Figures a finding carries besides its message, by name. */
const FIGURES = ['digit', 'delayMs', 'lossDb', 'hz', 'clippedSamples'] as const;

/**
 * The call-health detectors (main/core/diagnostics) as a tap's detectors stage: one analyzer for
 * a call of two legs (so one-way and echo compare them), one per leg otherwise. Their findings and
 * stretches in progress become {@link FindingView}s with wall-clock times.
 */
export class LiveDiagnostics implements StreamDetector, Disposable {
  private readonly opts: LiveDiagnosticsOptions;
  /** Each analyzer with the tap legs it sees, in its own leg order. */
  private readonly analyzers: { analyzer: CallAnalyzer; legs: number[] }[];
  private readonly ended = new Set<number>();
  /** When the tap's first audio arrived: the fallback origin of a finding's times. */
  private firstWallMs: number | undefined;

  constructor(opts: LiveDiagnosticsOptions) {
    this.opts = opts;
    const n = opts.channels.length;
    const groups = n === 2 ? [[0, 1]] : opts.channels.map((_, i) => [i]);
    this.analyzers = groups.map((legs) => {
      const analyzer = new CallAnalyzer({ legs: legs.length as 1 | 2, ...(opts.settings ? { settings: opts.settings } : {}) });
      analyzer.events.on('finding', (f) => this.opts.onFinding(this.view(f, legs)));
      analyzer.events.on('progress', (p) => this.opts.onFinding(this.progressView(p, legs)));
      return { analyzer, legs };
    });
  }

  push(leg: number, samples: Int16Array, wallClockMs: number): void {
    this.firstWallMs ??= wallClockMs;
    const a = this.analyzers.find((x) => x.legs.includes(leg));
    a?.analyzer.push(a.legs.indexOf(leg), samples, wallClockMs);
  }

  /** A leg ended: an analyzer whose legs all ended closes what it has open (a silence to its end). */
  endLeg(leg: number): void {
    this.ended.add(leg);
    for (const a of this.analyzers) if (a.legs.every((l) => this.ended.has(l))) a.analyzer.finish();
  }

  /** The tap stopped: every open stretch ends now. */
  finish(): void {
    for (const a of this.analyzers) a.analyzer.finish();
  }

  private wall(startWallMs: number | undefined, startS: number): number {
    return startWallMs ?? (this.firstWallMs ?? Date.now()) + startS * 1000;
  }

  private base(kind: FindingView['kind'], analyzerLeg: number | null, legs: number[], id: number) {
    const leg = analyzerLeg === null ? null : (legs[analyzerLeg] ?? null);
    return {
      id: `${this.opts.tapId}:${legs.join('+')}:${id}`,
      tapId: this.opts.tapId,
      kind,
      leg,
      channel: leg === null ? this.opts.title : (this.opts.channels[leg] ?? this.opts.title),
      key: `${kind}:${leg ?? 'call'}`,
    };
  }

  private view(f: Finding, legs: number[]): FindingView {
    const startedAt = Math.round(this.wall(f.startWallMs, f.startS));
    const figures: Record<string, number | string> = {};
    for (const k of FIGURES) if (f[k] !== undefined) figures[k] = f[k];
    return {
      ...this.base(f.kind, f.leg, legs, f.id),
      severity: f.severity,
      message: this.named(f.message, legs),
      startedAt,
      endedAt: startedAt + Math.round((f.endS - f.startS) * 1000),
      ...(Object.keys(figures).length > 0 ? { figures } : {}),
    };
  }

  private progressView(p: FindingProgress, legs: number[]): FindingView {
    const b = this.base(p.kind, p.leg, legs, p.id);
    const secs = (p.endS - p.startS).toFixed(1);
    const message =
      p.kind === 'one-way' ? `One-way audio in progress: ${b.channel} silent for ${secs} s while the other leg talks.` : `Silence in progress: ${b.channel} has carried no sound for ${secs} s.`;
    return {
      ...b,
      severity: p.kind === 'one-way' ? 'error' : 'warning',
      message,
      startedAt: Math.round(this.wall(p.startWallMs, p.startS)),
      endedAt: null,
      ...(p.done ? { withdrawn: true } : {}),
    };
  }

  /** The analyzer says "leg 1"; the engineer wants the channel's name beside it. */
  private named(message: string, legs: number[]): string {
    return message.replace(/\bleg (\d)\b/g, (m, d: string) => {
      const ch = this.opts.channels[legs[Number(d)] ?? -1];
      return ch ? `${m} (${ch})` : m;
    });
  }

  dispose(): void {
    for (const a of this.analyzers) a.analyzer.dispose();
  }
}

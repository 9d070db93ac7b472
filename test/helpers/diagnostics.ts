import type { Finding, FindingProgress } from '../../preload/contract.ts';
import { CallAnalyzer } from '../../main/core/diagnostics/call-analyzer.ts';
import type { DetectorSettingsPatch } from '../../main/core/diagnostics/detector-settings.ts';
import { dtmfFrequencies } from '../../main/core/diagnostics/dtmf-detector.ts';
import type { FrameSource } from '../../main/sim/signal-generators.ts';

export const SR = 16_000;

/** Runs the analyzer over whole signals (one per leg), pushed in 20 ms chunks as a tap would. */
export function analyze(legs: Int16Array[], settings?: DetectorSettingsPatch): { findings: Finding[]; progress: FindingProgress[]; analyzer: CallAnalyzer } {
  const analyzer = new CallAnalyzer({ legs: legs.length as 1 | 2, ...(settings ? { settings } : {}) });
  const findings: Finding[] = [];
  const progress: FindingProgress[] = [];
  analyzer.events.on('finding', (f) => findings.push(f));
  analyzer.events.on('progress', (p) => progress.push(p));
  const longest = Math.max(...legs.map((l) => l.length));
  for (let i = 0; i < longest; i += 320) legs.forEach((l, leg) => i < l.length && analyzer.push(leg, l.subarray(i, Math.min(i + 320, l.length))));
  analyzer.finish();
  return { findings, progress, analyzer };
}

/** `seconds` of a frame source as one signal. */
export function render(src: FrameSource, seconds: number, firstFrame = 0): Int16Array {
  const frames = Math.round(seconds * 50);
  const out = new Int16Array(frames * 320);
  for (let i = 0; i < frames; i++) {
    const f = src(firstFrame + i);
    if (f) out.set(f, i * 320);
  }
  return out;
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Deterministic uniform noise of amplitude `amp` (a quiet line, not digital zero). */
export function noise(seconds: number, amp: number, seed = 1): Int16Array {
  const out = new Int16Array(Math.round(seconds * SR));
  let a = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round((a / 4294967296 - 0.5) * 2 * amp);
  }
  return out;
}

export function sine(seconds: number, hz: number, peak: number, phase = 0): Int16Array {
  const out = new Int16Array(Math.round(seconds * SR));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(peak * Math.sin((2 * Math.PI * hz * i) / SR + phase));
  return out;
}

/** A DTMF key: row tone at `rowPeak`, column `twistDb` louder, each frequency off by its relative deviation. */
export function dtmfTone(key: string, ms: number, opts: { rowPeak?: number; twistDb?: number; devRow?: number; devCol?: number; phase?: number } = {}): Int16Array {
  const [r, c] = dtmfFrequencies(key)!;
  const rowPeak = opts.rowPeak ?? 6000;
  const colPeak = rowPeak * 10 ** ((opts.twistDb ?? 0) / 20);
  const fr = r * (1 + (opts.devRow ?? 0));
  const fc = c * (1 + (opts.devCol ?? 0));
  const out = new Int16Array(Math.round((ms * SR) / 1000));
  const ph = opts.phase ?? 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    out[i] = Math.round(rowPeak * Math.sin(2 * Math.PI * fr * t + ph) + colPeak * Math.sin(2 * Math.PI * fc * t + 2 * ph + 1));
  }
  return out;
}

export function add(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, (a[i] ?? 0) + (b[i] ?? 0)));
  return out;
}

export function kinds(findings: Finding[]): string[] {
  return findings.map((f) => f.kind);
}

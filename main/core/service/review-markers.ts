import type { FindingViewKind, FindingViewSeverity, ReviewMarker } from '../../../preload/contract.ts';
import { readSmallFile, writeFileAtomic } from '../common/safe-write.ts';

/** Markers of one recording fit in far less; a larger sidecar is not read. */
const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

const KINDS: readonly FindingViewKind[] = ['silence', 'one-way', 'clipping', 'dropout', 'echo', 'dtmf', 'tone', 'network'];
const SEVERITIES: readonly FindingViewSeverity[] = ['info', 'warning', 'error'];

/** The sidecar beside a recording with its markers and labelled regions. */
export function markersPath(wavPath: string): string {
  return `${wavPath}.markers.json`;
}

/**
 * Reads a recording's markers; a missing or damaged sidecar means none (the recording itself
 * is what matters). Entries that are not markers are skipped, never trusted.
 */
export async function readMarkers(wavPath: string): Promise<ReviewMarker[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readSmallFile(markersPath(wavPath), MAX_SIDECAR_BYTES));
  } catch {
    return [];
  }
  const list = (raw as { markers?: unknown } | null)?.markers;
  if (!Array.isArray(list)) return [];
  const out: ReviewMarker[] = [];
  for (const m of list.slice(0, 1000)) {
    const { atMs, endMs, label, kind, severity, leg } = (m ?? {}) as Record<string, unknown>;
    if (typeof atMs !== 'number' || !Number.isFinite(atMs) || atMs < 0) continue;
    const marker: ReviewMarker = { atMs, label: typeof label === 'string' ? label.slice(0, 200) : '' };
    if (typeof endMs === 'number' && Number.isFinite(endMs) && endMs > atMs) marker.endMs = endMs;
    if (KINDS.includes(kind as FindingViewKind)) {
      marker.kind = kind as FindingViewKind;
      marker.severity = SEVERITIES.includes(severity as FindingViewSeverity) ? (severity as FindingViewSeverity) : 'warning';
      marker.leg = typeof leg === 'number' && Number.isInteger(leg) && leg >= 0 && leg < 16 ? leg : null;
    }
    out.push(marker);
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/**
 * Replaces the sidecar's markers atomically (write then rename), so a crash never leaves half a
 * file. What else the sidecar holds (the network figures the tap saw) is kept as it was.
 */
export async function writeMarkers(wavPath: string, markers: ReviewMarker[], extra?: Record<string, unknown>): Promise<void> {
  const path = markersPath(wavPath);
  const sorted = [...markers].sort((a, b) => a.atMs - b.atMs);
  let kept: Record<string, unknown> = {};
  if (!extra) {
    try {
      const raw = JSON.parse(await readSmallFile(path, MAX_SIDECAR_BYTES)) as unknown;
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) kept = raw as Record<string, unknown>;
    } catch {
      // No sidecar yet, or a damaged one: it only had markers worth keeping, and those are being replaced.
    }
  }
  await writeFileAtomic(path, JSON.stringify({ ...kept, ...extra, markers: sorted }, null, 2));
}

/** The network figures kept in a recording's sidecar (validated; a damaged entry is skipped). */
export async function readNetworkSamples(wavPath: string): Promise<{ atMs: number; leg: number; lossPct: number; jitterMs: number; rttMs: number; mes: number | null }[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readSmallFile(markersPath(wavPath), MAX_SIDECAR_BYTES));
  } catch {
    return [];
  }
  const list = (raw as { network?: unknown } | null)?.network;
  if (!Array.isArray(list)) return [];
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  return list.slice(0, 100_000).flatMap((e) => {
    const { atMs, leg, lossPct, jitterMs, rttMs, mes } = (e ?? {}) as Record<string, unknown>;
    if (!num(atMs) || !num(leg) || !num(lossPct) || !num(jitterMs) || !num(rttMs)) return [];
    return [{ atMs, leg, lossPct, jitterMs, rttMs, mes: num(mes) ? mes : null }];
  });
}

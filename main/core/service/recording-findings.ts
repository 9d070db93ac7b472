import type { FindingViewSeverity, RecordingEntry, ReviewMarker } from '../../../preload/contract.ts';
import { mapLimit } from '../common/map-limit.ts';
import { analyzeWav } from '../diagnostics/analyze-wav.ts';
import { readMarkers, writeMarkers } from './review-markers.ts';

/**
 * The user's markers and regions replace the earlier ones; the findings in the sidecar (markers
 * with a kind) stay, since the review editor shows them but does not edit them.
 */
export async function saveUserMarkers(wavPath: string, markers: ReviewMarker[]): Promise<void> {
  const findings = (await readMarkers(wavPath)).filter((m) => m.kind !== undefined);
  await writeMarkers(wavPath, [...markers.filter((m) => m.kind === undefined), ...findings]);
}

/**
 * Runs the detectors over a recording (one made before they existed, or again): their findings
 * replace the detectors' earlier ones in its sidecar; the user's markers and the network's findings
 * (which only the live tap could see) stay. Returns the sidecar's markers after.
 */
export async function analyzeRecording(wavPath: string, onProgress?: (doneS: number, totalS: number) => void): Promise<ReviewMarker[]> {
  const report = await analyzeWav(wavPath, onProgress ? { onProgress } : {});
  const found: ReviewMarker[] = report.events.map((e) => {
    const atMs = Math.round(e.startS * 1000);
    const endMs = Math.round(e.endS * 1000);
    return { atMs, ...(endMs > atMs ? { endMs } : {}), label: e.message.slice(0, 200), kind: e.kind, severity: e.severity, leg: e.leg };
  });
  const kept = (await readMarkers(wavPath)).filter((m) => m.kind === undefined || m.kind === 'network');
  // A sidecar holds at most 1000 markers (what readMarkers takes): the user's first, then the worst findings.
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const all = [...kept, ...found.sort((a, b) => rank[a.severity!] - rank[b.severity!])].slice(0, 1000);
  await writeMarkers(wavPath, all);
  return readMarkers(wavPath);
}

/** Counts of a recording's findings by severity, from its sidecar (none when it has no sidecar). */
export async function findingCounts(wavPath: string): Promise<Record<FindingViewSeverity, number> | undefined> {
  const findings = (await readMarkers(wavPath)).filter((m) => m.kind !== undefined);
  if (findings.length === 0) return undefined;
  const out: Record<FindingViewSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const m of findings) out[m.severity ?? 'warning']++;
  return out;
}

/** The list with each recording's finding counts (sidecars read a few at a time). */
export function withFindingCounts(entries: RecordingEntry[], pathOf: (name: string) => string): Promise<RecordingEntry[]> {
  return mapLimit(entries, 8, async (e) => {
    if (e.damaged) return e;
    const counts = await findingCounts(pathOf(e.name)).catch(() => undefined);
    return counts ? { ...e, findings: counts } : e;
  });
}

import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ReviewMarker } from '../../../preload/contract.ts';

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
    raw = JSON.parse(await readFile(markersPath(wavPath), 'utf8'));
  } catch {
    return [];
  }
  const list = (raw as { markers?: unknown } | null)?.markers;
  if (!Array.isArray(list)) return [];
  const out: ReviewMarker[] = [];
  for (const m of list.slice(0, 1000)) {
    const { atMs, endMs, label } = (m ?? {}) as Record<string, unknown>;
    if (typeof atMs !== 'number' || !Number.isFinite(atMs) || atMs < 0) continue;
    const marker: ReviewMarker = { atMs, label: typeof label === 'string' ? label.slice(0, 200) : '' };
    if (typeof endMs === 'number' && Number.isFinite(endMs) && endMs > atMs) marker.endMs = endMs;
    out.push(marker);
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Replaces the sidecar atomically (write then rename), so a crash never leaves half a file. */
export async function writeMarkers(wavPath: string, markers: ReviewMarker[]): Promise<void> {
  const path = markersPath(wavPath);
  const sorted = [...markers].sort((a, b) => a.atMs - b.atMs);
  await writeFile(`${path}.tmp`, JSON.stringify({ markers: sorted }, null, 2));
  await rename(`${path}.tmp`, path);
}

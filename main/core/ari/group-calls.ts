import type { AriBridge, AriChannel } from './ari-client.ts';

/** Channels grouped into calls: each bridge's legs together, then the unbridged channels alone. */
export function groupCalls(channels: AriChannel[], bridges: AriBridge[]): AriChannel[][] {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const calls: AriChannel[][] = [];
  for (const b of bridges) {
    const legs = b.channels.map((id) => byId.get(id)).filter((c): c is AriChannel => c !== undefined);
    if (legs.length === 0) continue;
    legs.forEach((l) => seen.add(l.id));
    calls.push(legs);
  }
  for (const c of channels) if (!seen.has(c.id)) calls.push([c]);
  return calls;
}

/** "Alice <1001>", or "" when ARI has neither. */
export function formatParty(p: { name: string; number: string }): string {
  return [p.name, p.number && `<${p.number}>`].filter(Boolean).join(' ');
}

/** Seconds since an ARI creationtime (2026-11-25T10:29:06.337+0000). */
export function secondsSince(creationtime: string, now: number): number {
  const t = Date.parse(creationtime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? 0 : Math.max(0, Math.round((now - t) / 1000));
}

import type { AriBridge, AriChannel } from './ari-client.ts';
import { OBJECT_PREFIX, isAppObject } from './ari-app-instance.ts';

/** `Local/x@ctx-0001` for either end (`;1`, `;2`) of one Local channel; undefined for other channels. */
function localChannelKey(name: string): string | undefined {
  return /^(Local\/.+);[12]$/.exec(name)?.[1];
}

/**
 * Channels grouped into calls: the legs of each bridge together, and the two ends of a Local
 * channel together (they are one call to a person though no bridge joins them, part C); a Local
 * end bridged to a third channel brings its whole call along. Bridge members come first, in the
 * bridge's order, then the rest in ARI's order.
 */
export function groupCalls(channels: AriChannel[], bridges: AriBridge[]): AriChannel[][] {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const parent = new Map(channels.map((c) => [c.id, c.id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const join = (a: string, b: string): void => {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const b of bridges) {
    const ids = b.channels.filter((id) => byId.has(id));
    for (const id of ids.slice(1)) join(ids[0]!, id);
  }
  const otherEnd = new Map<string, string>();
  for (const c of channels) {
    const key = localChannelKey(c.name);
    if (key === undefined) continue;
    const other = otherEnd.get(key);
    if (other === undefined) otherEnd.set(key, c.id);
    else join(other, c.id);
  }
  const order = [...new Set([...bridges.flatMap((b) => b.channels.filter((id) => byId.has(id))), ...channels.map((c) => c.id)])];
  const calls = new Map<string, AriChannel[]>();
  for (const id of order) {
    const r = root(id);
    const call = calls.get(r) ?? [];
    if (call.length === 0) calls.set(r, call);
    call.push(byId.get(id)!);
  }
  return [...calls.values()];
}

/** A channel an Asterisk Tap instance made to tap (its snoop or external media), not part of a call. */
export function isHelperChannel(c: AriChannel): boolean {
  const app = c.dialplan?.app_name === 'Stasis' ? c.dialplan.app_data.split(',')[0]! : '';
  return isAppObject(c.id) || app === 'asterisk-tap' || app.startsWith(OBJECT_PREFIX);
}

/** Calls as the Channels view and `channels` show them: the app's own helper channels left out, and counted. */
export function listCalls(channels: AriChannel[], bridges: AriBridge[]): { calls: AriChannel[][]; hiddenHelpers: number } {
  const hidden = new Set(channels.filter(isHelperChannel).map((c) => c.id));
  const visible = channels.filter((c) => !hidden.has(c.id));
  const callBridges = bridges.filter((b) => !isAppObject(b.id)).map((b) => ({ ...b, channels: b.channels.filter((id) => !hidden.has(id)) }));
  return { calls: groupCalls(visible, callBridges), hiddenHelpers: hidden.size };
}

/** "2 helper channels of Asterisk Tap hidden", or "" for none. */
export function hiddenHelpersNote(n: number): string {
  return n === 0 ? '' : `${n} helper channel${n === 1 ? '' : 's'} of Asterisk Tap hidden`;
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

import { AriClient, type AriBridge, type AriChannel } from '../core/ari/ari-client.ts';
import { parse, required } from './cli-common.ts';

export const CHANNELS_HELP = `asterisk-tap channels --ari http://HOST:8088/ari --user U --password P [--json]
  Lists live channels through ARI (name, uniqueid, state, caller, connected line, duration),
  bridged legs grouped as one call.`;

function durationOf(creationtime: string, now: number): string {
  const t = Date.parse(creationtime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(t)) return '?';
  const s = Math.max(0, Math.round((now - t) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Channels grouped into calls: each bridge's legs together, then the unbridged channels. */
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

export async function channelsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ari: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, json: { type: 'boolean' } });
  const ari = new AriClient({ url: required(values.ari, '--ari'), user: required(values.user, '--user'), password: values.password ?? '' });
  const [channels, bridges] = await Promise.all([ari.channels(), ari.bridges()]);
  const calls = groupCalls(channels, bridges);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ calls }, null, 2)}\n`);
    return 0;
  }
  const now = Date.now();
  const rows = [['CALL', 'CHANNEL', 'UNIQUEID', 'STATE', 'CALLER', 'CONNECTED', 'DURATION']];
  calls.forEach((legs, i) => {
    for (const c of legs) {
      const party = (p: { name: string; number: string }): string => [p.name, p.number && `<${p.number}>`].filter(Boolean).join(' ') || '-';
      rows.push([String(i + 1), c.name, c.id, c.state, party(c.caller), party(c.connected), durationOf(c.creationtime, now)]);
    }
  });
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  process.stdout.write(`${rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n')}\n`);
  if (channels.length === 0) process.stdout.write('(no channels)\n');
  return 0;
}

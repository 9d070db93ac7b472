import { AriClient } from '../core/ari/ari-client.ts';
import { formatParty, hiddenHelpersNote, listCalls, secondsSince } from '../core/ari/group-calls.ts';
import { checkUrlFlag, parse, required } from './cli-common.ts';

export const CHANNELS_HELP = `asterisk-tap channels --ari http://HOST:8088/ari --user U --password P [--json]
  Lists live channels through ARI (name, uniqueid, state, caller, connected line, duration),
  bridged legs and the two ends of a Local channel grouped as one call. Asterisk Tap's own
  Snoop/… and WebSocket/… helper channels are left out and counted.`;

export async function channelsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ari: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, json: { type: 'boolean' } });
  checkUrlFlag(required(values.ari, '--ari'), '--ari', ['http', 'https']);
  const ari = new AriClient({ url: values.ari!, user: required(values.user, '--user'), password: required(values.password, '--password') });
  const [channels, bridges] = await Promise.all([ari.channels(), ari.bridges()]);
  const { calls, hiddenHelpers } = listCalls(channels, bridges);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ calls, hiddenHelpers }, null, 2)}\n`);
    return 0;
  }
  const now = Date.now();
  const rows = [['CALL', 'CHANNEL', 'UNIQUEID', 'STATE', 'CALLER', 'CONNECTED', 'DURATION']];
  calls.forEach((legs, i) => {
    for (const c of legs) {
      const s = secondsSince(c.creationtime, now);
      const duration = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      rows.push([String(i + 1), c.name, c.id, c.state, formatParty(c.caller) || '-', formatParty(c.connected) || '-', duration]);
    }
  });
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  process.stdout.write(`${rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n')}\n`);
  if (calls.length === 0) process.stdout.write('(no channels)\n');
  if (hiddenHelpers > 0) process.stdout.write(`(${hiddenHelpersNote(hiddenHelpers)})\n`);
  return 0;
}

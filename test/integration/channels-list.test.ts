/**
 * The Channels view and `channels`: Asterisk Tap's own helper channels hidden and counted, the
 * two ends of a Local channel one call (issue 10 §3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAriChannel } from '../../main/core/ari/ari-client.ts';
import { groupCalls, listCalls } from '../../main/core/ari/group-calls.ts';
import { AriAppInstance } from '../../main/core/ari/ari-app-instance.ts';
import { AriMediaClient } from '../../main/core/tap/ari-media-client.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/cli.ts';

const captured = (JSON.parse(readFileSync(new URL('../fixtures/conformance/ari_get_channels_while_tapping.json', import.meta.url), 'utf8')) as { body: unknown[] }).body.map(parseAriChannel);

test('the two ends of a Local channel are one call without a bridge (captured channel list)', () => {
  const names = groupCalls(captured, []).map((call) => call.map((c) => c.name));
  assert.ok(names.some((call) => call.length === 2 && call[0] === 'Local/play@lab-00000000;1' && call[1] === 'Local/play@lab-00000000;2'), JSON.stringify(names));
  // A Local end bridged to a third channel (a Dial) brings its call along.
  const pjsip = parseAriChannel({ id: '9.9', name: 'PJSIP/alice-00000009' });
  const bridged = groupCalls([...captured, pjsip], [{ id: 'b', bridge_type: 'mixing', channels: ['1795602546.1', '9.9'] }]);
  assert.ok(bridged.some((call) => call.length === 3 && call.some((c) => c.id === '9.9') && call.some((c) => c.name.endsWith(';1'))));
  // Different Local channels stay apart.
  const other = parseAriChannel({ id: '7.1', name: 'Local/play@lab-00000001;1' });
  assert.equal(groupCalls([...captured.filter((c) => c.name.startsWith('Local/')), other], []).length, 2);
});

test('helper channels are recognised by their object id or their Stasis app, and counted', () => {
  const snoop = parseAriChannel({ id: 'asterisk-tap-0a0b0c0d-0-snoop-in', name: 'Snoop/1.0-00000000', dialplan: { app_name: 'Stasis', app_data: 'asterisk-tap-0a0b0c0d' } });
  const ext = parseAriChannel({ id: '1.5', name: 'WebSocket/INCOMING/0x1', dialplan: { app_name: 'Stasis', app_data: 'asterisk-tap-0a0b0c0d' } });
  const foreign = parseAriChannel({ id: '1.6', name: 'WebSocket/INCOMING/0x2', dialplan: { app_name: 'Stasis', app_data: 'someone-else' } });
  const { calls, hiddenHelpers } = listCalls([snoop, ext, foreign], [{ id: 'asterisk-tap-0a0b0c0d-0-bridge', bridge_type: 'mixing', channels: [snoop.id, ext.id] }]);
  assert.equal(hiddenHelpers, 2);
  assert.deepEqual(calls.map((c) => c.map((l) => l.id)), [['1.6']], "another application's channels are not ours to hide");
});

test('channels:list while ari-media taps run: no Snoop/ or WebSocket/ "call", a count of hidden helpers, the Local pair one call', async (t) => {
  const pbx = await startPbx(t);
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const svc = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test', demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  t.after(async () => {
    await svc.shutdown(0);
    svc.dispose();
  });
  const instance = new AriAppInstance();
  const tap = new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password: 'demo', channel: pbx.channelByPrefix('PJSIP/dave-')!.json.id, direction: 'in', instance }).connect();
  t.after(async () => {
    tap.stop();
    await tap.socketClosed;
  });
  await waitFor(() => tap.state === 'streaming', 'a tap running');
  const list = await svc.handle('channels:list', { endpointId: 'builtin-demo' });
  assert.equal(list.hiddenHelpers, 2);
  const names = list.calls.flatMap((c) => c.legs.map((l) => l.name));
  assert.ok(names.every((n) => !n.startsWith('Snoop/') && !n.startsWith('WebSocket/')), names.join(', '));
  assert.equal(names.length, pbx.listChannels().length, 'every call channel is still listed');
  const local = list.calls.find((c) => c.legs.some((l) => l.name.startsWith('Local/milliwatt@')))!;
  assert.deepEqual(local.legs.map((l) => l.name.slice(-2)), [';1', ';2']);

  const json = runCli(t, ['channels', '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo', '--json']);
  assert.equal(await json.exit, 0, json.stderr());
  const out = JSON.parse(json.stdout()) as { calls: { name: string }[][]; hiddenHelpers: number };
  assert.equal(out.hiddenHelpers, 2);
  assert.ok(out.calls.some((c) => c.length === 2 && c.every((l) => l.name.startsWith('Local/milliwatt@'))));
  const table = runCli(t, ['channels', '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo']);
  assert.equal(await table.exit, 0);
  assert.match(table.stdout(), /\(2 helper channels of Asterisk Tap hidden\)/);
  assert.doesNotMatch(table.stdout(), /Snoop\/|WebSocket\//);
});

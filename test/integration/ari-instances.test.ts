/**
 * ari-media on real-world servers (issue 10 §3): systemname uniqueids, one events socket per app
 * instance shared by its legs, a Stasis app per instance, leftovers only of instances that are gone.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TapView } from '../../preload/contract.ts';
import { AriClient } from '../../main/core/ari/ari-client.ts';
import { AriAppInstance, removeLeftovers } from '../../main/core/ari/ari-app-instance.ts';
import { AriMediaClient } from '../../main/core/tap/ari-media-client.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import type { DemoPbx, DemoPbxOptions } from '../../main/sim/demo-pbx.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/cli.ts';

const ariOf = (pbx: DemoPbx) => new AriClient({ url: pbx.ariUrl, user: 'demo', password: 'demo' });

/** A TapService (one running app instance) with an ari-media endpoint on `pbx`. */
async function service(t: TestContext, pbx: DemoPbx): Promise<{ svc: TapService; endpointId: string }> {
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const svc = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test' });
  const ep = await svc.handle('endpoints:save', { name: 'Stock', wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo', headers: {}, allowSelfSigned: false, transport: 'ari-media' });
  await svc.init();
  await svc.leftoversSwept;
  t.after(async () => {
    await svc.shutdown(0);
    svc.dispose();
  });
  return { svc, endpointId: ep.id };
}

function legs(svc: TapService, tapId: string): TapView['legs'] {
  return (svc as unknown as { taps: Map<string, { view(): TapView }> }).taps.get(tapId)!.view().legs;
}

async function systemnamePbx(t: TestContext, extra: DemoPbxOptions = {}): Promise<DemoPbx> {
  const pbx = await startPbx(t, { systemName: 'lab', ...extra });
  assert.match(pbx.listChannels()[0]!.json.id, /^lab-\d+\.\d+$/);
  return pbx;
}

test('systemname uniqueids (lab-1796186281.4) resolve on ari-media, by uniqueid and by name; not found says so in ARI terms', async (t) => {
  const pbx = await systemnamePbx(t);
  const instance = new AriAppInstance();
  const tone = pbx.channelByPrefix('Local/milliwatt@')!.json;
  for (const channel of [tone.id, tone.name]) {
    const client = new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password: 'demo', channel, direction: 'in', instance }).connect();
    await waitFor(() => client.state === 'streaming', `streaming by ${channel}`);
    client.stop();
    await client.socketClosed;
  }
  const ghost = new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password: 'demo', channel: 'lab-1796186281.999', direction: 'in', instance }).connect();
  const outcome = await ghost.outcome;
  assert.equal(outcome.reason, 'channel-not-found');
  assert.match(outcome.message, /^ARI at .* has no channel named "lab-1796186281\.999" and none with that uniqueid/);
  assert.doesNotMatch(outcome.message, /accepted the connection/, "stream-channel's wording is wrong for this transport");
  await ghost.socketClosed;
  await waitFor(() => pbx.media.channels().length === 0 && instance.openEventSockets === 0, 'nothing left, events socket closed');
});

test('the workbench taps a systemname uniqueid on ari-media', async (t) => {
  const pbx = await systemnamePbx(t);
  const { svc, endpointId } = await service(t, pbx);
  const tap = (await svc.handle('tap:open', { endpointId, channels: [pbx.channelByPrefix('PJSIP/alice-')!.json.id] })) as TapView;
  await waitFor(() => legs(svc, tap.id)[0]!.state === 'streaming', 'streaming');
  await svc.handle('tap:stop', { tapId: tap.id });
  await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, 'torn down');
});

test('Tap call on ari-media: both legs share one events socket; hangup ends every leg and removes every object', async (t) => {
  const pbx = await startPbx(t, { respawnMs: -1 });
  const { svc, endpointId } = await service(t, pbx);
  const alice = pbx.channelByPrefix('PJSIP/alice-')!.json;
  const bob = pbx.channelByPrefix('PJSIP/bob-')!.json;
  const tap = (await svc.handle('tap:open', { endpointId, channels: [alice.name, bob.name] })) as TapView;
  assert.equal(tap.legs.length, 2);
  await waitFor(() => legs(svc, tap.id).every((l) => l.state === 'streaming'), 'both legs streaming');
  assert.equal(svc.ariInstance.openEventSockets, 1, 'one events socket for the instance');
  assert.equal(pbx.media.appReplacements, 0, 'no leg replaced another leg\'s Stasis app');
  assert.deepEqual((await ariOf(pbx).applications()), [svc.ariInstance.appName]);
  assert.equal(pbx.media.channels().length, 4, 'a snoop and an external media channel per leg');
  pbx.hangup(alice.id);
  await waitFor(() => legs(svc, tap.id).every((l) => l.state === 'ended' && l.reason === 'call-ended'), 'every leg ended by the hangup');
  await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, 'every external media channel and bridge removed');
  await waitFor(() => svc.ariInstance.openEventSockets === 0 && pbx.media.applications().length === 0, 'the events socket closed with the last leg');
});

test('two running instances on one PBX: each its own Stasis app; the second removes only leftovers of instances that are gone', async (t) => {
  const pbx = await startPbx(t);
  const first = await service(t, pbx);
  const tap = (await first.svc.handle('tap:open', { endpointId: first.endpointId, channels: [pbx.channelByPrefix('PJSIP/bob-')!.json.id] })) as TapView;
  await waitFor(() => legs(first.svc, tap.id)[0]!.state === 'streaming', 'first instance streaming');
  const live = new Set(pbx.media.channels().map((c) => c.id));
  assert.equal(live.size, 2);
  // A crashed instance's objects: its app is registered nowhere.
  const a = ariOf(pbx);
  const target = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  await a.post('/channels/externalMedia', { app: 'asterisk-tap-0badf00d', transport: 'websocket', encapsulation: 'none', connection_type: 'server', format: 'slin16', channelId: 'asterisk-tap-0badf00d-0-ext' });
  await a.post(`/channels/${target}/snoop`, { spy: 'in', app: 'asterisk-tap-0badf00d', snoopId: 'asterisk-tap-0badf00d-0-snoop-in' });
  await a.post('/bridges', { type: 'mixing', bridgeId: 'asterisk-tap-0badf00d-0-bridge' });

  const second = await service(t, pbx);
  assert.notEqual(second.svc.ariInstance.appName, first.svc.ariInstance.appName);
  assert.deepEqual(pbx.media.channels().map((c) => c.id).sort(), [...live].sort(), "the first instance's snoop and external media stay; the crashed one's are gone");
  assert.deepEqual(pbx.media.stasisBridges().map((b) => b.id), [...live].map((id) => id.replace(/-(ext|snoop-in)$/, '-bridge')).filter((v, i, all) => all.indexOf(v) === i));
  const frames = first.svc.handle('tap:list', undefined);
  assert.equal((await frames).length, 1);
  assert.equal(legs(first.svc, tap.id)[0]!.state, 'streaming', 'no false "call ended" in the first instance');
  // The second instance's own tap registers its own app beside the first's.
  const own = (await second.svc.handle('tap:open', { endpointId: second.endpointId, channels: [target] })) as TapView;
  await waitFor(() => legs(second.svc, own.id)[0]!.state === 'streaming', 'second instance streaming');
  assert.deepEqual((await a.applications()).sort(), [first.svc.ariInstance.appName, second.svc.ariInstance.appName].sort());
  assert.equal(pbx.media.appReplacements, 0);
  assert.equal(legs(first.svc, tap.id)[0]!.state, 'streaming');
});

test('a second process (the CLI recording on ari-media) keeps its snoop and bridge when a service starts beside it', async (t) => {
  const pbx = await startPbx(t);
  const bob = pbx.channelByPrefix('PJSIP/bob-')!.json.id;
  const dir = await tempDir(t);
  const run = runCli(t, ['record', '--transport', 'ari-media', '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo', '--channel', bob, '--out', join(dir, 'bob.wav')]);
  await waitFor(() => pbx.media.stasisBridges().some((b) => b.channels.length === 2), 'the CLI tap is bridged', 15_000);
  const before = pbx.media.channels().map((c) => c.id).sort();
  const { svc } = await service(t, pbx);
  assert.deepEqual(pbx.media.channels().map((c) => c.id).sort(), before, "the running CLI's objects were not taken for leftovers");
  assert.equal(pbx.media.stasisBridges().length, 1);
  assert.ok(svc.ariInstance.appName.startsWith('asterisk-tap-'));
  run.child.kill('SIGINT');
  assert.equal(await run.exit, 0, run.stderr());
  await waitFor(() => pbx.media.channels().length === 0, 'the CLI cleaned up after itself');
});

test('a sweep with no ARI applications list answer deletes nothing', async (t) => {
  const pbx = await startPbx(t);
  const a = ariOf(pbx);
  await a.post('/channels/externalMedia', { app: 'x', transport: 'websocket', encapsulation: 'none', connection_type: 'server', format: 'slin16', channelId: 'asterisk-tap-0badf00d-0-ext' });
  const broken = Object.assign(Object.create(a) as AriClient, { applications: () => Promise.reject(new Error('no route')) });
  await assert.rejects(removeLeftovers(broken, new AriAppInstance()));
  assert.equal(pbx.media.channels().length, 1);
});

test('the events socket dropping stops every leg that relied on it and removes their objects (no tap left blind to its call\'s end)', async (t) => {
  const pbx = await startPbx(t);
  const instance = new AriAppInstance();
  const open = (direction: 'in' | 'out') => new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password: 'demo', channel: pbx.channelByPrefix('PJSIP/alice-')!.json.id, direction, instance }).connect();
  const legsUp = [open('in'), open('out')];
  await waitFor(() => legsUp.every((l) => l.state === 'streaming'), 'both legs streaming');
  assert.equal(instance.openEventSockets, 1);
  pbx.media.dropEventSockets();
  const outcomes = await Promise.all(legsUp.map((l) => l.outcome));
  assert.deepEqual(outcomes.map((o) => o.reason), ['connection-lost', 'connection-lost']);
  assert.match(outcomes[0]!.message, /events socket .* closed/);
  await Promise.all(legsUp.map((l) => l.socketClosed));
  await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, 'objects removed');
  assert.equal(instance.openEventSockets, 0);
});

test('a leg started right after the last one ended waits for the old events socket to close, then hears its events', async (t) => {
  const pbx = await startPbx(t);
  const instance = new AriAppInstance();
  const target = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  const first = new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password: 'demo', channel: target, direction: 'in', instance }).connect();
  await waitFor(() => first.state === 'streaming', 'first streaming');
  first.stop();
  await first.socketClosed;
  // The last lease goes as the old socket is closing; a new leg opens at once.
  const second = new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password: 'demo', channel: pbx.channelByPrefix('PJSIP/dave-')!.json.id, direction: 'in', instance }).connect();
  await waitFor(() => second.state === 'streaming', 'second streaming');
  await waitFor(() => pbx.media.applications().some((a) => a['name'] === instance.appName), 'its app registered');
  pbx.hangup(pbx.channelByPrefix('PJSIP/dave-')!.json.id);
  assert.equal((await second.outcome).reason, 'call-ended', 'the new socket hears the call end');
  await second.socketClosed;
  await waitFor(() => pbx.media.channels().length === 0, 'cleaned up');
});

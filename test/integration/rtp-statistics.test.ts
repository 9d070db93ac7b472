import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventMap, FindingView, NetworkView, TapView } from '../../preload/contract.ts';
import { AriClient } from '../../main/core/ari/ari-client.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { readMarkers, readNetworkSamples } from '../../main/core/service/review-markers.ts';
import { lossyLostBefore } from '../../main/sim/sim-network.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CAPTURE = JSON.parse(readFileSync(new URL('../fixtures/conformance/ari_rtp_statistics_pjsip.json', import.meta.url), 'utf8')) as Record<string, unknown>;

test('the demo PBX answers rtp_statistics as Asterisk 23 does: the captured shape for PJSIP, 403 for Local, 404 for no channel', async (t) => {
  const pbx = await startPbx(t);
  const ari = new AriClient({ url: pbx.ariUrl, user: 'demo', password: 'demo' });
  const alice = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  const res = await fetch(`${pbx.ariUrl}/channels/${alice}/rtp_statistics`, { headers: { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), Object.keys(CAPTURE).sort(), 'the same fields as the real capture');
  for (const [k, v] of Object.entries(CAPTURE)) assert.equal(typeof body[k], typeof v, k);
  assert.equal(body['channel_uniqueid'], alice);
  const s = await ari.rtpStatistics(alice);
  assert.equal(s.rxploss, 0);
  assert.ok(s.txcount > 0 && s.rxjitter < 0.01 && s.rtt > 0 && s.rtt < 0.05, JSON.stringify(s));
  // Local and the like carry no RTP: Asterisk's 403, with its message.
  const local = pbx.channelByPrefix('Local/milliwatt')!.json.id;
  await assert.rejects(ari.rtpStatistics(local), (e: unknown) => (e as { code?: string }).code === 'ari-http-403' && /Unsupported channel type/.test((e as Error).message));
  await assert.rejects(ari.rtpStatistics('1.999999'), (e: unknown) => (e as { code?: string }).code === 'ari-not-found');
});

test('the lossy call counts exactly the packets its schedule lost, and the numbers move with time', async (t) => {
  const pbx = await startPbx(t, { speed: 4, scenarios: ['dropouts'] });
  const ari = new AriClient({ url: pbx.ariUrl, user: 'demo', password: 'demo' });
  const judy = pbx.channelByPrefix('PJSIP/judy-')!.json.id;
  let s = await ari.rtpStatistics(judy);
  const deadline = Date.now() + 20_000;
  while (s.rxploss === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    s = await ari.rtpStatistics(judy);
  }
  assert.ok(s.rxploss > 0, 'a burst was reached');
  // Sent = received + lost, and the loss is the schedule's count for that many packets.
  assert.equal(s.rxcount + s.rxploss, s.txcount);
  assert.equal(s.rxploss, lossyLostBefore(s.txcount));
  const later = await (async () => {
    let n = s;
    while (n.txcount === s.txcount) n = await ari.rtpStatistics(judy);
    return n;
  })();
  assert.ok(later.txcount > s.txcount && later.rxploss >= s.rxploss);
});

async function demoService(t: TestContext) {
  const pbx = await startPbx(t);
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const recordingsDir = join(await tempDir(t), 'rec');
  const service = new TapService({ store, recordingsDir, host: 'web', version: 'test', rtpPollMs: 500, demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
  });
  const views: NetworkView[] = [];
  const findings: FindingView[] = [];
  service.addSink({
    event: <C extends keyof EventMap>(c: C, p: EventMap[C]) => {
      if (c === 'tap:network') views.push(p as NetworkView);
      if (c === 'tap:finding') findings.push(p as FindingView);
    },
    pcm: () => undefined,
  });
  return { pbx, service, recordingsDir, views, findings };
}

test('a tap of the lossy call gets network figures per leg, a loss finding during its burst, and keeps both in the sidecar', async (t) => {
  const { pbx, service, recordingsDir, views, findings } = await demoService(t);
  const tap = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [pbx.channelByPrefix('PJSIP/judy-')!.json.name] })) as TapView;
  await service.handle('tap:record', { tapId: tap.id, on: true });
  await waitFor(() => views.some((v) => v.tapId === tap.id && v.status === 'ok'), 'figures', 10_000);
  assert.equal(views[0]!.status, 'waiting');
  await waitFor(() => findings.some((f) => f.kind === 'network' && f.figures?.['metric'] === 'loss'), 'a loss finding', 20_000);
  const loss = findings.find((f) => f.figures?.['metric'] === 'loss')!;
  assert.equal(loss.leg, 0);
  assert.match(loss.channel, /^PJSIP\/judy-/);
  assert.ok(Number(loss.figures?.['lossPct']) > 2);
  await waitFor(() => views.filter((v) => v.tapId === tap.id && v.status === 'ok').length >= 3, 'three polls', 10_000);
  await service.handle('tap:record', { tapId: tap.id, on: false });
  const wav = (await readdir(recordingsDir)).find((n) => n.endsWith('.wav'))!;
  const samples = await readNetworkSamples(join(recordingsDir, wav));
  assert.ok(samples.length >= 2 && samples.some((x) => x.lossPct > 2), JSON.stringify(samples));
  const markers = await readMarkers(join(recordingsDir, wav));
  assert.ok(markers.some((m) => m.kind === 'network' && /Packet loss/.test(m.label)), JSON.stringify(markers));
  // Stopping the tap stops the polling: no more figures for it.
  await service.handle('tap:stop', { tapId: tap.id });
  const n = views.length;
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(views.filter((v) => v.tapId === tap.id).length, views.slice(0, n).filter((v) => v.tapId === tap.id).length);
});

test('a tap of a Local channel is told once that it has no RTP, with no error logged', async (t) => {
  const { pbx, service, views } = await demoService(t);
  const logs: string[] = [];
  service.addSink({ event: <C extends keyof EventMap>(c: C, p: EventMap[C]) => c === 'log:entry' && logs.push((p as EventMap['log:entry']).level), pcm: () => undefined });
  const tap = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [pbx.channelByPrefix('Local/milliwatt')!.json.name] })) as TapView;
  await waitFor(() => views.some((v) => v.tapId === tap.id && v.status === 'no-rtp'), 'no-rtp', 10_000);
  await new Promise((r) => setTimeout(r, 1200));
  assert.deepEqual(views.filter((v) => v.tapId === tap.id).map((v) => v.status), ['waiting', 'no-rtp']);
  assert.ok(!logs.includes('error'));
});

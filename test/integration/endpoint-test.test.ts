/**
 * The endpoint Test where ARI is configured (issue 10 §2, last paragraph): it asks ARI which
 * modules are loaded instead of opening /ws with a made-up channel, so it puts nothing in the
 * PBX's ERROR log; an ari-media endpoint is tested through its own path; a 401 is an error.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ProbeView } from '../../preload/contract.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import type { DemoPbx, DemoPbxOptions } from '../../main/sim/demo-pbx.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

async function testEndpoint(t: TestContext, transport: 'stream-channel' | 'ari-media' | 'auto', pbxOptions: DemoPbxOptions = {}, password = 'demo', ari = true): Promise<{ pbx: DemoPbx; r: ProbeView }> {
  const pbx = await startPbx(t, pbxOptions);
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const svc = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test' });
  t.after(async () => {
    await svc.shutdown(0);
    svc.dispose();
  });
  const ep = await svc.handle('endpoints:save', { name: 'PBX', wsUrl: pbx.wsUrl, ...(ari ? { ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: password } : {}), headers: {}, allowSelfSigned: false, transport });
  const r = await svc.handle('endpoints:test', { id: ep.id });
  return { pbx, r };
}

test('stream-channel endpoint with ARI: the Test asks for res_ari_stream.so and opens no /ws socket: nothing in the PBX log', async (t) => {
  const { pbx, r } = await testEndpoint(t, 'stream-channel');
  assert.equal(r.verdict, 'reachable', r.summary);
  assert.match(r.summary, /res_ari_stream\.so is loaded \(Running\)/);
  assert.match(r.summary, /Asterisk 23\.4\.1/);
  assert.equal(pbx.counters.streamConnections, 0, 'no stream-channel socket was opened');
  assert.equal(pbx.counters.errorLog, 0, "no ERROR in the PBX's log");
});

test('ari-media endpoint: chan_websocket.so loaded and one external media round trip, cleaned up; nothing in the PBX log', async (t) => {
  const { pbx, r } = await testEndpoint(t, 'ari-media');
  assert.equal(r.verdict, 'reachable', r.summary);
  assert.match(r.summary, /chan_websocket\.so is loaded \(Running\), and one external media channel connected in \d+ ms \(MEDIA_START: slin16, 640-byte frames\) and was removed/);
  assert.equal(pbx.media.channels().length, 0, 'the test channel is gone');
  assert.equal(pbx.media.mediaClientCloses, 0, 'Asterisk closed the media socket (the channel was deleted), not the client');
  assert.equal(pbx.counters.streamConnections, 0);
  assert.equal(pbx.counters.errorLog, 0);
  await waitFor(() => pbx.media.applications().length === 0, 'the events socket released');
});

test('auto with ARI: tests the ari-media path where chan_websocket is loaded, the stream-channel one where only res_ari_stream is', async (t) => {
  const fresh = await testEndpoint(t, 'auto');
  assert.equal(fresh.r.verdict, 'reachable');
  assert.match(fresh.r.summary, /external media/);
  const old = await testEndpoint(t, 'auto', { chanWebsocket: false });
  assert.equal(old.r.verdict, 'reachable');
  assert.match(old.r.summary, /res_ari_stream\.so is loaded/);
  assert.equal(old.pbx.counters.errorLog + fresh.pbx.counters.errorLog, 0);
});

test('a 401 from ARI is a failed Test, never a green OK', async (t) => {
  const { pbx, r } = await testEndpoint(t, 'stream-channel', {}, 'wrong');
  assert.equal(r.verdict, 'ari-failed');
  assert.match(r.summary, /401/);
  assert.doesNotMatch(r.summary, /^OK/);
  assert.equal(pbx.counters.streamConnections, 0);
});

test('a module that is not loaded is reported as such, with what would work instead', async (t) => {
  const noStream = await testEndpoint(t, 'stream-channel', { faults: [{ kind: 'no-module' }] });
  assert.equal(noStream.r.verdict, 'unsupported');
  assert.match(noStream.r.summary, /res_ari_stream\.so is not loaded.*chan_websocket\.so is loaded: choose the ari-media transport/);
  const noMedia = await testEndpoint(t, 'ari-media', { chanWebsocket: false });
  assert.equal(noMedia.r.verdict, 'unsupported');
  assert.match(noMedia.r.summary, /chan_websocket\.so is not loaded.*res_ari_stream\.so is loaded: choose the stream-channel transport/);
  assert.equal(noMedia.pbx.media.channels().length, 0);
});

test('without ARI the Test still proves /ws speaks stream-channel, and says it costs one ERROR line', async (t) => {
  const { pbx, r } = await testEndpoint(t, 'stream-channel', {}, 'demo', false);
  assert.equal(r.verdict, 'reachable');
  assert.match(r.summary, /logs one "Channel not found" ERROR/);
  assert.equal(pbx.counters.errorLog, 1);
});

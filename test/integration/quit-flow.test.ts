import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TapView } from '../../preload/contract.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { DEMO_ENDPOINT_ID, TapService } from '../../main/core/service/tap-service.ts';
import { runQuitFlow, type QuitChoice } from '../../main/core/app/quit-flow.ts';
import { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { channelName, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * The desktop app's quit order, run under plain Node with what main/electron/main.ts wires in:
 * the in-process demo PBX (the built-in endpoint), a service, and a second PBX standing for a
 * real Asterisk. The dialog and the window are the only parts replaced.
 */
async function desktop(t: TestContext) {
  const lab = await startPbx(t);
  const demo = new DemoPbx();
  await demo.start();
  t.after(() => demo.stop());
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'electron', version: 'test', demo: { wsUrl: demo.wsUrl, ariUrl: demo.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  t.after(async () => {
    service.forceCloseAll();
    service.dispose();
  });
  const labEp = await service.handle('endpoints:save', { name: 'Lab', wsUrl: lab.wsUrl, headers: {}, allowSelfSigned: false, transport: 'stream-channel' });
  const asked: number[] = [];
  const host = (choice: QuitChoice) => ({
    ask: async (n: number) => {
      asked.push(n);
      return choice;
    },
    background: 0,
    enterBackground(n: number) {
      this.background = n;
    },
  });
  return { lab, demo, service, labEp, asked, host };
}

async function openTap(service: TapService, endpointId: string, channel: string): Promise<TapView> {
  return (await service.handle('tap:open', { endpointId, channels: [channel] })) as TapView;
}

test('quit with only demo taps: no question, the demo PBX hangs up first, zero client-first closes', async (t) => {
  const { demo, service, asked, host } = await desktop(t);
  const name = channelName(demo, 'Local/milliwatt@');
  await openTap(service, DEMO_ENDPOINT_ID, name);
  const stopped = await openTap(service, DEMO_ENDPOINT_ID, channelName(demo, 'PJSIP/dave-'));
  await service.handle('tap:stop', { tapId: stopped.id });
  await waitFor(() => demo.listenerCount(demo.findChannel(name)!.json.id) === 1, 'demo tap connected');
  const h = host('stay');
  const result = await runQuitFlow(service, demo, h, { settleMs: 5000 });
  assert.deepEqual(result, { quit: true, forced: false, waitedInBackground: false });
  assert.deepEqual(asked, [], 'demo taps are not "still connected"');
  assert.equal(demo.counters.clientFirstCloses, 0);
});

test('quit with a real stream-channel tap: the default (stay) changes nothing; "quit when the calls end" waits, lock released, zero client-first closes', async (t) => {
  const { lab, demo, service, labEp, asked, host } = await desktop(t);
  const name = channelName(lab, 'PJSIP/alice-');
  const tap = await openTap(service, labEp.id, name);
  // An endpoint test leaves a socket too (a real channel given): tracked and counted.
  await service.handle('endpoints:test', { id: labEp.id, channel: channelName(lab, 'PJSIP/dave-') });
  await waitFor(() => lab.listenerCount(lab.findChannel(name)!.json.id) === 1, 'lab tap connected');

  const stay = await runQuitFlow(service, demo, host('stay'));
  assert.deepEqual(stay, { quit: false });
  assert.deepEqual(asked, [2]);
  assert.equal(((await service.handle('tap:list', undefined)) as TapView[]).length, 1, 'the live tap is untouched');
  assert.equal(lab.counters.clientFirstCloses, 0);

  const waiting = host('wait');
  const done = runQuitFlow(service, demo, waiting, { settleMs: 300, pollMs: 200 });
  await waitFor(() => waiting.background === 2, 'waiting in the background for 2 connections');
  assert.equal(lab.counters.clientFirstCloses, 0);
  assert.equal(demo.counters.clientFirstCloses, 0);
  lab.hangup(name);
  lab.hangup(channelName(lab, 'PJSIP/dave-'));
  assert.deepEqual(await done, { quit: true, forced: false, waitedInBackground: true });
  assert.equal(lab.counters.clientFirstCloses, 0);
  void tap;
});

test('quit, "close now" is the only path that closes first, and only what is left on the real PBX', async (t) => {
  const { lab, demo, service, labEp, host } = await desktop(t);
  const name = channelName(lab, 'PJSIP/alice-');
  await openTap(service, labEp.id, name);
  await openTap(service, DEMO_ENDPOINT_ID, channelName(demo, 'Local/milliwatt@'));
  await waitFor(() => lab.listenerCount(lab.findChannel(name)!.json.id) === 1, 'lab tap connected');
  const result = await runQuitFlow(service, demo, host('force'), { settleMs: 3000 });
  assert.deepEqual(result, { quit: true, forced: true, waitedInBackground: false });
  await waitFor(() => lab.counters.clientFirstCloses === 1, 'the chosen close reached the lab PBX');
  assert.equal(demo.counters.clientFirstCloses, 0);
});

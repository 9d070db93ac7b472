import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventMap, TapView } from '../../preload/contract.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('an ari-media tap turns DTMF into markers saved beside the recording', async (t) => {
  const pbx = await startPbx(t);
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const recordingsDir = join(await tempDir(t), 'rec');
  const service = new TapService({ store, recordingsDir, host: 'web', version: 'test', demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
  });
  const logs: string[] = [];
  service.addSink({ event: <C extends keyof EventMap>(c: C, p: EventMap[C]) => c === 'log:entry' && logs.push((p as EventMap['log:entry']).message), pcm: () => undefined });
  const ep = await service.handle('endpoints:save', { name: 'Stock', wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo', headers: {}, allowSelfSigned: false, transport: 'ari-media' });
  const tap = (await service.handle('tap:open', { endpointId: ep.id, channels: [pbx.channelByPrefix('PJSIP/carol-')!.json.name] })) as TapView;
  assert.equal(tap.legs[0]!.transport, 'ari-media');
  await service.handle('tap:record', { tapId: tap.id, on: true });
  await waitFor(() => logs.filter((l) => l.startsWith('Marker "DTMF')).length >= 2, 'two DTMF markers', 15_000);
  await service.handle('tap:record', { tapId: tap.id, on: false });
  const markersFile = (await readdir(recordingsDir)).find((n) => n.endsWith('.markers.json'))!;
  const { markers } = JSON.parse(await readFile(join(recordingsDir, markersFile), 'utf8')) as { markers: { label: string; atMs: number }[] };
  assert.ok(markers.length >= 2 && markers.every((m) => /^DTMF [0-9#*A-D]$/.test(m.label) && m.atMs >= 0));
  await service.handle('tap:stop', { tapId: tap.id });
  await waitFor(() => pbx.media.channels().length === 0, 'torn down');
});

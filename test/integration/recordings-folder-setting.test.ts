import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TapView } from '../../preload/contract.ts';
import { readSettings, writeSettings } from '../../main/core/app/app-settings.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { channelName, delay, startPbx } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('the recordings folder can be changed: checked, kept in settings.json, and new recordings of an open tap go there', async (t) => {
  const pbx = await startPbx(t);
  const configDir = await tempDir(t);
  const first = join(await tempDir(t), 'first');
  const { store } = await openNodeEndpointStore(configDir);
  const settings = await readSettings(configDir);
  assert.deepEqual(settings, {});
  const service = new TapService({ store, recordingsDir: first, host: 'web', version: 'test', saveRecordingsDir: (dir) => writeSettings(configDir, { ...settings, recordingsDir: dir }), demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
  });
  const tap = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [channelName(pbx, 'Local/milliwatt', ';1')] })) as TapView;
  await delay(300);

  await assert.rejects(service.handle('recordings:setFolder', { path: 'relative/dir' }), (e: { code?: string; message: string }) => e.code === 'recordings-folder' && /not a full path/.test(e.message));
  const aFile = join(await tempDir(t), 'file');
  await writeFile(aFile, 'x');
  await assert.rejects(service.handle('recordings:setFolder', { path: join(aFile, 'sub') }), (e: { code?: string; message: string }) => e.code === 'recordings-folder' && /a part of the path is a file/.test(e.message));
  // Without a path and without a dialog (web host), the user must type one.
  await assert.rejects(service.handle('recordings:setFolder', {}), { code: 'recordings-folder' });

  const second = join(await tempDir(t), 'second', 'nested');
  const info = await service.handle('recordings:setFolder', { path: second });
  assert.equal(info.recordingsDir, second);
  assert.deepEqual(await readSettings(configDir), { recordingsDir: second });
  await service.handle('tap:record', { tapId: tap.id, on: true });
  await delay(500);
  await service.handle('tap:record', { tapId: tap.id, on: false });
  assert.equal((await readdir(second)).filter((n) => n.endsWith('.wav')).length, 1);
  assert.deepEqual((await readdir(first)).filter((n) => n.endsWith('.wav')), []);
  assert.equal((await service.handle('recordings:list', undefined)).length, 1);
});

test('settings: a damaged or foreign settings file means defaults', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'settings.json'), '{"recordingsDir": 42');
  assert.deepEqual(await readSettings(dir), {});
  await writeFile(join(dir, 'settings.json'), '{"recordingsDir": "relative"}');
  assert.deepEqual(await readSettings(dir), {});
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWavHeader } from '../../../main/core/audio/wav-format.ts';
import { loadPeaks, peaksCachePath } from '../../../main/core/audio/wav-peaks.ts';
import { readMarkers, writeMarkers } from '../../../main/core/service/review-markers.ts';
import { readSettings, writeSettings } from '../../../main/core/app/app-settings.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('sidecars and settings are replaced, never written through a symlink planted in their place', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  const wav = join(dir, 'a.wav');
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, 3200, { channel: 'x' });
  await writeFile(wav, Buffer.concat([header, Buffer.alloc(3200)]));
  for (const name of ['peaks', 'markers', 'settings']) await writeFile(join(outside, name), `precious ${name}`);
  await symlink(join(outside, 'peaks'), peaksCachePath(wav));
  await symlink(join(outside, 'markers'), `${wav}.markers.json`);
  await symlink(join(outside, 'settings'), join(dir, 'settings.json'));
  await loadPeaks(wav);
  await writeMarkers(wav, [{ atMs: 10, label: 'm' }]);
  await writeSettings(dir, { recordingsDir: '/tmp/x' });
  for (const name of ['peaks', 'markers', 'settings']) assert.equal(await readFile(join(outside, name), 'utf8'), `precious ${name}`, name);
  assert.equal((await lstat(`${wav}.markers.json`)).isSymbolicLink(), false);
  assert.deepEqual(await readMarkers(wav), [{ atMs: 10, label: 'm' }]);
  assert.deepEqual(await readSettings(dir), { recordingsDir: '/tmp/x' });
  assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')), 'no temporary file left');
});

test('a sidecar or settings file far larger than it can be is not read (bounded memory)', async (t) => {
  const dir = await tempDir(t);
  const wav = join(dir, 'a.wav');
  // Valid JSON, padded to 8 MB: read whole, it would count.
  const pad = ' '.repeat(8 * 1024 * 1024);
  await writeFile(`${wav}.markers.json`, `{"markers":[{"atMs":1,"label":"x"}],"pad":"${pad}"}`);
  await writeFile(join(dir, 'settings.json'), `{"recordingsDir":"/tmp/y","pad":"${pad}"}`);
  assert.deepEqual(await readMarkers(wav), []);
  assert.deepEqual(await readSettings(dir), {});
});

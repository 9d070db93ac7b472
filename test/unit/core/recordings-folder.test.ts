import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingsFolder } from '../../../main/core/service/recordings-folder.ts';
import { WavWriter } from '../../../main/core/audio/wav-writer.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('lists good, damaged and repaired files; names cannot leave the folder', async (t) => {
  const dir = await tempDir(t);
  const w = await WavWriter.create(join(dir, 'a.wav'), { info: { channel: 'PJSIP/a-1', endpoint: 'Lab', startedAt: '2026-11-25T10:00:00.000Z' } });
  w.write(Buffer.alloc(32_000));
  await w.finish();
  await writeFile(join(dir, 'bad.wav'), 'nope');
  await writeFile(join(dir, 'notes.txt'), 'not listed');
  const folder = new RecordingsFolder(dir, { repaired: [join(dir, 'a.wav')] });
  const list = await folder.list();
  assert.deepEqual(list.map((r) => [r.name, r.durationMs, r.channel, r.repaired, r.damaged !== undefined]), [
    ['a.wav', 1000, 'PJSIP/a-1', true, false],
    ['bad.wav', 0, null, false, true],
  ]);
  for (const bad of ['../x.wav', '/etc/passwd', '.trash', 'a.txt', 'sub/a.wav']) {
    await assert.rejects(folder.delete(bad), (e: unknown) => (e as { code?: string }).code === 'recording-name', bad);
  }
  await assert.rejects(folder.rename('a.wav', '../escape'), (e: unknown) => (e as { code?: string }).code === 'recording-name');
  await assert.rejects(folder.rename('a.wav', 'bad'), (e: unknown) => (e as { code?: string }).code === 'recording-exists');
  await folder.rename('a.wav', 'b');
  await folder.delete('b.wav');
  assert.deepEqual((await readdir(dir)).sort(), ['.trash', 'bad.wav', 'notes.txt']);
  assert.deepEqual(await new RecordingsFolder(join(dir, 'missing')).list(), []);
});

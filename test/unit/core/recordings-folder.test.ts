import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, truncate, writeFile } from 'node:fs/promises';
import { buildWavHeader } from '../../../main/core/audio/wav-format.ts';
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

test('listing 500 five-minute recordings reads their headers only, a few at a time (bounded memory)', async (t) => {
  const dir = await tempDir(t);
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, 16_000 * 2 * 300, { channel: 'PJSIP/a-1', startedAt: '2026-11-25T10:00:00.000Z' });
  for (let i = 0; i < 500; i++) {
    const path = join(dir, `r${String(i).padStart(3, '0')}.wav`);
    await writeFile(path, header);
    // Sparse: five minutes of audio without writing them.
    await truncate(path, header.length + 16_000 * 2 * 300);
  }
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
  const list = await new RecordingsFolder(dir).list();
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  assert.equal(list.length, 500);
  assert.ok(list.every((r) => r.durationMs === 300_000 && r.channel === 'PJSIP/a-1'));
  assert.ok(peak - before < 32 * 1024 * 1024, `buffers grew by ${Math.round((peak - before) / 1048576)} MB`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingsService } from '../../../main/core/service/recordings-service.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('start-up removes only the app\'s own finished exports from <folder>/.exports, nothing else it finds there', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  const exportsDir = join(dir, '.exports');
  const job = join(exportsDir, '0b7c6f1e-3f0a-4b8e-9d51-2a7c0c1d9e11');
  await mkdir(job, { recursive: true });
  await writeFile(join(job, 'call-clip1.wav'), 'ours');
  await writeFile(join(job, 'call-clip2.wav.part'), 'ours, unfinished');
  // Things the app did not create: a file of the user's in the job folder, a folder of another name, a symlink out.
  const other = join(exportsDir, 'my-notes');
  await mkdir(other);
  await writeFile(join(other, 'keep.wav'), 'not ours');
  await writeFile(join(exportsDir, 'readme.txt'), 'not ours');
  await writeFile(join(outside, 'precious.wav'), 'outside');
  const linked = join(exportsDir, '5e0d2c4b-1a2b-4c3d-8e9f-0a1b2c3d4e5f');
  await symlink(outside, linked);
  const job2 = join(exportsDir, '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d');
  await mkdir(job2);
  await writeFile(join(job2, 'x.wav'), 'ours');
  await writeFile(join(job2, 'diary.txt'), 'someone put this here');

  const service = new RecordingsService({ dir, repaired: [], onExportProgress: () => undefined });
  await service.init();
  service.dispose();
  assert.deepEqual((await readdir(exportsDir)).sort(), ['5e0d2c4b-1a2b-4c3d-8e9f-0a1b2c3d4e5f', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', 'my-notes', 'readme.txt']);
  assert.deepEqual(await readdir(job2), ['diary.txt']);
  assert.equal(await readFile(join(other, 'keep.wav'), 'utf8'), 'not ours');
  assert.equal(await readFile(join(outside, 'precious.wav'), 'utf8'), 'outside');

  // A .exports that is itself a symlink is never entered.
  const dir2 = await tempDir(t);
  await mkdir(join(outside, 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'));
  await writeFile(join(outside, 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', 'a.wav'), 'outside');
  await symlink(outside, join(dir2, '.exports'));
  const s2 = new RecordingsService({ dir: dir2, repaired: [], onExportProgress: () => undefined });
  await s2.init();
  s2.dispose();
  assert.equal(await readFile(join(outside, 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', 'a.wav'), 'utf8'), 'outside');
});

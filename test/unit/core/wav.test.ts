import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WavWriter } from '../../../main/core/audio/wav-writer.ts';
import { WavError, inspectWav, readWav } from '../../../main/core/audio/wav-reader.ts';
import { repairWav, repairRecordingsIn } from '../../../main/core/audio/wav-repair.ts';
import { buildWavHeader } from '../../../main/core/audio/wav-format.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const frame = (v: number): Buffer => Buffer.alloc(640, v);
const info = { channel: 'PJSIP/alice-00000001', endpoint: 'Lab', startedAt: '2026-11-25T10:00:00.000Z' };

test('writes a valid WAV with the channel, endpoint and start time embedded', async (t) => {
  const path = join(await tempDir(t), 'a.wav');
  const w = await WavWriter.create(path, { info });
  for (let i = 0; i < 50; i++) assert.equal(w.write(frame(i)), true);
  const result = await w.finish();
  assert.equal(result.dataBytes, 32_000);
  assert.equal(result.durationMs, 1000);
  const wav = await readWav(path);
  assert.deepEqual(wav.format, { sampleRate: 16000, channels: 1, bitsPerSample: 16 });
  assert.equal(wav.dataBytes, 32_000);
  assert.deepEqual(wav.info, { ...info });
  assert.equal(wav.tags['INAM'], 'PJSIP/alice-00000001');
  assert.equal(wav.data[640 * 7], 7);
  assert.equal(wav.riffSize + 8, (await stat(path)).size);
});

test('refuses to overwrite an existing recording unless asked', async (t) => {
  const path = join(await tempDir(t), 'a.wav');
  await writeFile(path, 'keep me');
  await assert.rejects(WavWriter.create(path), (e: unknown) => (e as { code?: string }).code === 'record-open-failed');
  assert.equal(await readFile(path, 'utf8'), 'keep me');
  const w = await WavWriter.create(path, { overwrite: true });
  await w.finish();
  assert.equal((await inspectWav(path)).dataBytes, 0);
});

test('keeps the header current about once a second while recording', async (t) => {
  const path = join(await tempDir(t), 'live.wav');
  const w = await WavWriter.create(path, { flushIntervalMs: 20, headerIntervalMs: 50 });
  w.write(frame(1));
  await new Promise((r) => setTimeout(r, 80));
  w.write(frame(2));
  await new Promise((r) => setTimeout(r, 120));
  const mid = await inspectWav(path);
  assert.equal(mid.declaredDataBytes, 1280, 'header updated without finish()');
  await w.finish();
});

test('a byte limit cuts the recording at exactly that length', async (t) => {
  const path = join(await tempDir(t), 'limit.wav');
  const w = await WavWriter.create(path, { limitBytes: 1000 });
  assert.equal(w.write(frame(1)), true);
  w.write(frame(2));
  assert.equal(w.isFull, true);
  assert.equal(w.write(frame(3)), false);
  assert.equal((await w.finish()).dataBytes, 1000);
});

test('drops (and counts) audio beyond the pending limit instead of growing memory', async (t) => {
  const path = join(await tempDir(t), 'slow.wav');
  const w = await WavWriter.create(path, { maxPendingBytes: 1280, flushIntervalMs: 10_000 });
  assert.equal(w.write(frame(1)), true);
  assert.equal(w.write(frame(2)), true);
  assert.equal(w.write(frame(3)), false);
  assert.equal(w.drops, 1);
  assert.equal((await w.finish()).dataBytes, 1280);
});

test('a write failure ends the recording with a clear error and a valid file of what was written', async (t) => {
  const path = join(await tempDir(t), 'fail.wav');
  const w = await WavWriter.create(path, { flushIntervalMs: 10_000 });
  w.write(frame(1));
  await w.flush();
  const errors: string[] = [];
  w.events.on('error', (e) => errors.push(e.code));
  // Simulate the disk failing: the handle's write starts throwing ENOSPC.
  const handle = (w as unknown as { handle: { write: (...a: unknown[]) => Promise<unknown> } }).handle;
  const realWrite = handle.write.bind(handle);
  let failNext = true;
  handle.write = async (...args: unknown[]) => {
    if (failNext) {
      failNext = false;
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }
    return realWrite(...args);
  };
  w.write(frame(2));
  await w.flush();
  assert.deepEqual(errors, ['record-write-failed']);
  assert.equal(w.write(frame(3)), false);
  const result = await w.finish();
  assert.equal(result.error?.code, 'record-write-failed');
  assert.match(result.error!.message, /the disk is full \(ENOSPC\)/);
  const wav = await readWav(path);
  assert.equal(wav.dataBytes, 640);
});

test('the reader rejects malformed files with a coded, readable error', async (t) => {
  const dir = await tempDir(t);
  const cases: [string, Buffer, string][] = [
    ['text.wav', Buffer.from('hello world, not audio'), 'wav-not-wav'],
    ['empty.wav', Buffer.alloc(0), 'wav-not-wav'],
  ];
  const good = buildWavHeader({ sampleRate: 16000, channels: 1, bitsPerSample: 16 }, 640).header;
  const alaw = Buffer.from(good);
  alaw.writeUInt16LE(6, 20);
  cases.push(['alaw.wav', Buffer.concat([alaw, Buffer.alloc(640)]), 'wav-unsupported']);
  const badAlign = Buffer.from(good);
  badAlign.writeUInt16LE(3, 32);
  cases.push(['align.wav', Buffer.concat([badAlign, Buffer.alloc(640)]), 'wav-malformed']);
  cases.push(['short.wav', Buffer.concat([good, Buffer.alloc(100)]), 'wav-truncated']);
  cases.push(['headeronly.wav', good.subarray(0, 30), 'wav-malformed']);
  const garbageChunk = Buffer.from(good);
  garbageChunk.write('\x00\x01\x02\x03', 12, 'latin1');
  cases.push(['chunk.wav', garbageChunk, 'wav-malformed']);
  for (const [name, bytes, code] of cases) {
    const p = join(dir, name);
    await writeFile(p, bytes);
    await assert.rejects(readWav(p), (e: unknown) => e instanceof WavError && e.code === code && e.message.length > 10, name);
  }
  await assert.rejects(readWav(join(dir, 'missing.wav')), (e: unknown) => (e as WavError).code === 'wav-unreadable');
});

test('repair fixes the stale sizes a crash leaves, keeps intact and foreign files as they are', async (t) => {
  const dir = await tempDir(t);
  const crashed = join(dir, 'crashed.wav');
  const { header } = buildWavHeader({ sampleRate: 16000, channels: 1, bitsPerSample: 16 }, 0, info);
  await writeFile(crashed, Buffer.concat([header, Buffer.alloc(32_001, 3)])); // sizes say 0; 1 s + half a sample on disk
  const intact = join(dir, 'intact.wav');
  const w = await WavWriter.create(intact, { info });
  w.write(frame(1));
  await w.finish();
  const foreign = join(dir, 'foreign.wav');
  const fh = buildWavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16 }, 4).header;
  const trailer = Buffer.from('LIST\x04\x00\x00\x00INFO', 'latin1');
  const foreignBytes = Buffer.concat([fh, Buffer.alloc(4), trailer]);
  foreignBytes.writeUInt32LE(foreignBytes.length - 8, 4);
  await writeFile(foreign, foreignBytes);
  await writeFile(join(dir, 'junk.wav'), 'junk');

  const reports = await repairRecordingsIn(dir);
  const by = Object.fromEntries(reports.map((r) => [r.path.split('/').pop(), r.status]));
  assert.deepEqual(by, { 'crashed.wav': 'repaired', 'foreign.wav': 'not-ours', 'intact.wav': 'ok', 'junk.wav': 'unrepairable' });
  const fixed = await readWav(crashed);
  assert.equal(fixed.dataBytes, 32_000);
  assert.equal(fixed.info.channel, info.channel);
  assert.equal((await repairWav(crashed)).status, 'ok', 'repair is idempotent');
  assert.deepEqual(await repairRecordingsIn(join(dir, 'nope')), []);
});

test('repair only rewrites files this app wrote, never through a symlink: a foreign WAV with an ID3 tag stays byte for byte', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  // A foreign WAV (no Asterisk Tap metadata) with an ID3 tag appended after the RIFF chunk, as tag editors do.
  const fh = buildWavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16 }, 1600).header;
  const id3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x20', 'latin1'), Buffer.alloc(32, 0x41)]);
  const foreign = Buffer.concat([fh, Buffer.alloc(1600, 5), id3]);
  await writeFile(join(dir, 'tagged.wav'), foreign);
  // One of ours, left unfinished by a crash, but reached through a symlink from outside the folder.
  const { header } = buildWavHeader({ sampleRate: 16000, channels: 1, bitsPerSample: 16 }, 0, info);
  const crashed = Buffer.concat([header, Buffer.alloc(3200, 3)]);
  await writeFile(join(outside, 'elsewhere.wav'), crashed);
  await symlink(join(outside, 'elsewhere.wav'), join(dir, 'link.wav'));
  const reports = await repairRecordingsIn(dir);
  const by = Object.fromEntries(reports.map((r) => [r.path.split('/').pop(), r]));
  assert.equal(by['tagged.wav']?.status, 'not-ours', by['tagged.wav']?.message);
  assert.match(by['tagged.wav']!.message, /not written by Asterisk Tap/);
  assert.equal(by['link.wav']?.status, 'not-ours');
  assert.match(by['link.wav']!.message, /symbolic link/);
  assert.deepEqual(await readFile(join(dir, 'tagged.wav')), foreign);
  assert.deepEqual(await readFile(join(outside, 'elsewhere.wav')), crashed);
  // repairWav itself refuses the symlink too (O_NOFOLLOW), even for one of ours.
  assert.equal((await repairWav(join(dir, 'link.wav'))).status, 'not-ours');
  assert.deepEqual(await readFile(join(outside, 'elsewhere.wav')), crashed);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WavWriter } from '../../../main/core/audio/wav-writer.ts';
import { readWav } from '../../../main/core/audio/wav-reader.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

// `record --seconds 1 --stereo` wrote 1.0146 s under load: bytes on their way to disk were not
// counted, so the limit let more in while a flush was in flight.
test('the byte limit holds while a flush is in flight, in whole stereo frames', async (t) => {
  const path = join(await tempDir(t), 'limit.wav');
  const w = await WavWriter.create(path, { format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 }, limitBytes: 1000, flushIntervalMs: 60_000 });
  t.after(() => w.dispose());
  assert.equal(w.write(new Uint8Array(600)), true);
  const flushing = w.flush(); // 600 bytes now in flight
  w.write(new Uint8Array(602));
  assert.equal(w.isFull, true);
  assert.equal(w.write(new Uint8Array(4)), false);
  await flushing;
  const result = await w.finish();
  assert.equal(result.dataBytes, 1000);
  assert.equal((await readWav(path)).dataBytes, 1000);
});

// `record --seconds 1 --detach` saved 0.98 s under load: the last frame arrived while a flush was
// updating the header after its data, and finish() took that flush for the one that wrote it.
test('finish writes audio that arrived while a flush was updating the header', async (t) => {
  const path = join(await tempDir(t), 'late.wav');
  const w = await WavWriter.create(path, { format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, flushIntervalMs: 60_000, headerIntervalMs: 0 });
  t.after(() => w.dispose());
  // The moment the flush writes the header's sizes (a 4-byte write at offset 4), the last frame comes and the file is finished.
  const handle = (w as unknown as { handle: { write: (...a: unknown[]) => Promise<unknown> } }).handle;
  const write = handle.write.bind(handle);
  let finishing: Promise<unknown> | undefined;
  handle.write = (...a: unknown[]) => {
    if (!finishing && a[2] === 4 && a[3] === 4) {
      assert.equal(w.write(new Uint8Array(640)), true);
      finishing = w.finish();
    }
    return write(...a);
  };
  w.write(new Uint8Array(640));
  await w.flush();
  assert.ok(finishing, 'the header was written during the flush');
  await finishing;
  assert.equal((await readWav(path)).durationMs, 40, 'both frames are in the file');
});

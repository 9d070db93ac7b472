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

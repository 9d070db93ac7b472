import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildWavHeader } from '../../../main/core/audio/wav-format.ts';
import { inspectWav, readWav } from '../../../main/core/audio/wav-reader.ts';
import { computePeaks, loadPeaks, peaksCachePath, PEAK_SCALE } from '../../../main/core/audio/wav-peaks.ts';
import { selectionFrames, sliceWav } from '../../../main/core/audio/wav-slice.ts';
import { computeSpectrogram } from '../../../main/core/audio/wav-spectrogram.ts';
import { Fft } from '../../../main/core/audio/fft.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { dominantFrequency } from '../../helpers/dominant-frequency.ts';

const info = { channel: 'PJSIP/alice-00000001', endpoint: 'Lab', startedAt: '2026-11-25T10:00:00.000Z' };

/** A WAV whose samples are `f(frame, channel)`. */
async function makeWav(path: string, frames: number, channels: number, f: (i: number, ch: number) => number): Promise<void> {
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) data.writeInt16LE(f(i, c), (i * channels + c) * 2);
  const { header } = buildWavHeader({ sampleRate: 16_000, channels, bitsPerSample: 16 }, data.length, info);
  await writeFile(path, Buffer.concat([header, data]));
}

test('peaks: the loudest |sample| of each 10 ms bucket, per channel, rounded up so quiet audio shows', async (t) => {
  const path = join(await tempDir(t), 'p.wav');
  // 1 s stereo: left is silent but for one sample of -32768 at 0.505 s; right a ramp of bucket numbers.
  await makeWav(path, 16_000, 2, (i, ch) => (ch === 0 ? (i === 8080 ? -32768 : 0) : Math.floor(i / 160) * 100));
  const p = await computePeaks(path);
  assert.equal(p.peaksPerSecond, 100);
  assert.equal(p.data.length, 2);
  assert.equal(p.data[0]!.length, 100);
  assert.deepEqual(p.data[0]!.map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [50]);
  assert.equal(p.data[0]![50], PEAK_SCALE);
  for (let b = 0; b < 100; b++) assert.equal(p.data[1]![b], Math.ceil(((b * 100) / 32768) * PEAK_SCALE), `bucket ${b}`);
  assert.equal(p.durationMs, 1000);
});

test('peaks: a partial last bucket counts, and an empty recording has none', async (t) => {
  const dir = await tempDir(t);
  await makeWav(join(dir, 'a.wav'), 16_000 + 17, 1, () => 1000);
  assert.equal((await computePeaks(join(dir, 'a.wav'))).data[0]!.length, 101);
  await makeWav(join(dir, 'b.wav'), 0, 1, () => 0);
  assert.deepEqual((await computePeaks(join(dir, 'b.wav'))).data, [[]]);
});

test('peaks are cached beside the file and recomputed when the file changes', async (t) => {
  const path = join(await tempDir(t), 'c.wav');
  await makeWav(path, 3200, 1, () => 16384);
  const first = await loadPeaks(path);
  assert.equal(first.cached, false);
  assert.ok((await stat(peaksCachePath(path))).size > 0);
  const second = await loadPeaks(path);
  assert.equal(second.cached, true);
  assert.deepEqual(second.data, first.data);
  await makeWav(path, 4800, 1, () => 100);
  const later = new Date(Date.now() + 5000);
  await utimes(path, later, later);
  const third = await loadPeaks(path);
  assert.equal(third.cached, false);
  assert.equal(third.data[0]!.length, 30);
  // A damaged cache is recomputed, not trusted.
  await writeFile(peaksCachePath(path), '{"version":1,"data":');
  assert.equal((await loadPeaks(path)).cached, false);
});

test('selection frames: inside the recording, ordered, non-empty, and adjacent selections tile it exactly', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: -1e4, max: 1e9, noNaN: true }), fc.double({ min: -1e4, max: 1e9, noNaN: true }), fc.double({ min: -1e4, max: 1e9, noNaN: true }), (total, a, b, c) => {
      const rate = 16_000;
      const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
      const whole = (s: number, e: number) => {
        try {
          return selectionFrames(total, rate, s, e);
        } catch {
          return undefined;
        }
      };
      const r = whole(a, b);
      if (r) {
        assert.ok(r.startFrame >= 0 && r.endFrame <= total && r.startFrame < r.endFrame);
        assert.ok(Number.isInteger(r.startFrame) && Number.isInteger(r.endFrame));
        assert.deepEqual(whole(b, a), r, 'a reversed drag selects the same span');
      }
      // Splitting [x, z] at y loses and repeats nothing.
      const left = whole(x, y);
      const right = whole(y, z);
      const all = whole(x, z);
      const len = (s?: { startFrame: number; endFrame: number }) => (s ? s.endFrame - s.startFrame : 0);
      assert.equal(len(left) + len(right), len(all));
      if (left && right) assert.equal(left.endFrame, right.startFrame);
    }),
    { numRuns: 2000 },
  );
});

test('selection frames: empty, reversed-to-nothing and outside selections are refused with a code', () => {
  for (const [s, e] of [[500, 500], [2000, 3000], [-50, -1], [NaN, 10]] as const) {
    assert.throws(() => selectionFrames(16_000, 16_000, s, e), (err: unknown) => (err as { code?: string }).code === 'export-range', `${s}..${e}`);
  }
});

test('slicing copies exactly the selected frames with the source metadata, and never touches the source', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src.wav');
  await makeWav(src, 48_000, 2, (i, ch) => (ch === 0 ? (i % 30_000) - 15_000 : -(i % 30_000)));
  const before = await readFile(src);
  const layout = await inspectWav(src);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), async (a, b) => {
      let range;
      try {
        range = selectionFrames(48_000, 16_000, a, b);
      } catch {
        return;
      }
      const target = join(dir, `clip-${a}-${b}.wav`);
      let seen = 0;
      const r = await sliceWav({ path: src, layout }, range, target, { info: { ...info, note: 'clip' }, onProgress: (n) => (seen = n) });
      const out = await readWav(target);
      assert.equal(out.format.channels, 2);
      assert.equal(out.dataBytes, (range.endFrame - range.startFrame) * 4);
      assert.equal(seen, out.dataBytes);
      assert.ok(Math.abs(r.durationMs - (range.endFrame - range.startFrame) / 16) < 1e-9);
      assert.deepEqual(out.data, before.subarray(layout.dataOffset + range.startFrame * 4, layout.dataOffset + range.endFrame * 4));
      assert.equal(out.info.channel, info.channel);
      assert.equal(out.info.note, 'clip');
    }),
    { numRuns: 40 },
  );
  assert.deepEqual(await readFile(src), before);
});

test('a cancelled slice leaves no file, not even a partial one', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'long.wav');
  await makeWav(src, 16_000 * 120, 1, (i) => i % 1000);
  const abort = new AbortController();
  const target = join(dir, 'cut.wav');
  await assert.rejects(
    sliceWav({ path: src, layout: await inspectWav(src) }, { startFrame: 0, endFrame: 16_000 * 120 }, target, { info, signal: abort.signal, onProgress: (n) => n > 100_000 && abort.abort() }),
    (e: unknown) => (e as { code?: string }).code === 'export-cancelled',
  );
  assert.deepEqual((await readdir(dir)).sort(), ['long.wav']);
});

test('the FFT finds a tone where it is, and the spectrogram shows the 1004 Hz line', async (t) => {
  const tone = (i: number) => Math.round(20_000 * Math.sin((2 * Math.PI * 1004 * i) / 16_000));
  const mags = new Fft(1024).magnitudes(Float64Array.from({ length: 1024 }, (_, i) => tone(i) / 32768));
  const bin = mags.indexOf(Math.max(...mags));
  assert.equal(bin, Math.round((1004 * 1024) / 16_000));
  assert.ok(Math.abs(mags[bin]! - 20_000 / 32768) < 0.15, `amplitude ${mags[bin]}`);
  const path = join(await tempDir(t), 's.wav');
  await makeWav(path, 32_000, 1, tone);
  const spec = await computeSpectrogram(path, await inspectWav(path), { fftSize: 512, maxFrames: 50, whiteDbfs: 0 });
  assert.equal(spec.length, 1);
  assert.equal(spec[0]!.length, 50);
  const expected = Math.round((1004 * 512) / 16_000);
  for (const col of spec[0]!) {
    assert.equal(col.length, 256);
    assert.equal(col.indexOf(Math.max(...col)), expected);
    assert.equal(col[200], 0, 'no energy far from the tone');
  }
  assert.ok(Math.abs(dominantFrequency((await readWav(path)).data, 16_000) - 1004) < 1);
});

test('a slice whose .part cannot be created (name too long, being written, no folder) fails with a coded message, never an unhandled error', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src.wav');
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, 32_000, { channel: 'PJSIP/a-1' });
  await writeFile(src, Buffer.concat([header, Buffer.alloc(32_000)]));
  const source = { path: src, layout: await inspectWav(src) };
  const range = { startFrame: 0, endFrame: 8000 };
  await writeFile(join(dir, 'busy.wav.part'), 'someone else');
  const cases: [string, RegExp][] = [
    [join(dir, `${'x'.repeat(252)}.wav`), /too long/],
    [join(dir, 'busy.wav'), /being written/],
    [join(dir, 'missing', 'a.wav'), /does not exist/],
  ];
  for (const [target, why] of cases) {
    await assert.rejects(sliceWav(source, range, target, { info: {} }), (e: unknown) => (e as { code?: string }).code === 'export-failed' && why.test((e as Error).message), target.slice(-40));
  }
  assert.equal(await readFile(join(dir, 'busy.wav.part'), 'utf8'), 'someone else', 'another writer\'s .part is left alone');
});

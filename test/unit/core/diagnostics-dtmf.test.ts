import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { speechSource } from '../../../main/sim/signal-generators.ts';
import { analyze, concat, dtmfTone, noise, render, SR, add } from '../../helpers/diagnostics.ts';

const KEYS = '0123456789*#ABCD';
/** A faint line under the digits (-70 dBFS): real lines are never digital zero. */
const line = (seconds: number): Int16Array => noise(seconds, 15, 7);

function digitsOf(signal: Int16Array): { digit: string; startS: number; endS: number }[] {
  return analyze([signal])
    .findings.filter((f) => f.kind === 'dtmf')
    .map((f) => ({ digit: f.digit!, startS: f.startS, endS: f.endS }));
}

test('dtmf: every key is found once, at its time (±10 ms), with severity info', () => {
  const parts: Int16Array[] = [];
  for (const k of KEYS) parts.push(dtmfTone(k, 100), new Int16Array(SR / 10));
  const sig = add(concat(...parts), line(3.3));
  const { findings } = analyze([sig]);
  assert.deepEqual(findings.map((f) => f.kind), [...KEYS].map(() => 'dtmf'));
  findings.forEach((f, i) => {
    assert.equal(f.digit, KEYS[i]);
    assert.equal(f.severity, 'info');
    assert.equal(f.leg, 0);
    assert.ok(Math.abs(f.startS - i * 0.2) <= 0.01 && Math.abs(f.endS - (i * 0.2 + 0.1)) <= 0.01, JSON.stringify(f));
  });
});

test('dtmf (property): digits within Q.24 tolerances are all found, in order', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          key: fc.constantFrom(...KEYS),
          toneMs: fc.integer({ min: 40, max: 150 }),
          pauseMs: fc.integer({ min: 40, max: 150 }),
          twistDb: fc.double({ min: -8, max: 8, noNaN: true }),
          devRow: fc.double({ min: -0.015, max: 0.015, noNaN: true }),
          devCol: fc.double({ min: -0.015, max: 0.015, noNaN: true }),
          phase: fc.double({ min: 0, max: 6.28, noNaN: true }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      fc.integer({ min: 0, max: 159 }),
      // The weaker tone's peak: -30 to -18 dBFS RMS, well above the -36 dBFS minimum.
      fc.double({ min: 1500, max: 5800, noNaN: true }),
      (digits, offset, weakPeak) => {
        const parts: Int16Array[] = [new Int16Array(SR / 10 + offset)];
        for (const d of digits) {
          const rowPeak = d.twistDb >= 0 ? weakPeak : weakPeak * 10 ** (-d.twistDb / 20);
          parts.push(dtmfTone(d.key, d.toneMs, { rowPeak, twistDb: d.twistDb, devRow: d.devRow, devCol: d.devCol, phase: d.phase }), new Int16Array((d.pauseMs * SR) / 1000));
        }
        parts.push(new Int16Array(SR / 10));
        const sig = concat(...parts);
        const found = digitsOf(add(sig, line(sig.length / SR)));
        assert.deepEqual(
          found.map((f) => f.digit),
          digits.map((d) => d.key),
        );
      },
    ),
    { seed: 12, numRuns: 60 },
  );
});

test('dtmf (property): a frequency off by 3.5 % or more is not a digit (Q.24 non-operate)', () => {
  // Up to 6 %: DTMF frequencies are about 10.5 % apart, so further off is near the next one.
  fc.assert(
    fc.property(
      fc.constantFrom(...KEYS),
      fc.double({ min: 0.035, max: 0.06, noNaN: true }),
      fc.boolean(),
      fc.boolean(),
      (key, dev, negative, onRow) => {
        const d = negative ? -dev : dev;
        const tone = dtmfTone(key, 120, onRow ? { devRow: d } : { devCol: d });
        assert.deepEqual(digitsOf(add(concat(new Int16Array(1600), tone, new Int16Array(1600)), line(0.32))), []);
      },
    ),
    { seed: 13, numRuns: 80 },
  );
});

test('dtmf (property): a twist beyond 8 dB (10-20 dB either way) is not a digit', () => {
  fc.assert(
    fc.property(fc.constantFrom(...KEYS), fc.double({ min: 10, max: 20, noNaN: true }), fc.boolean(), (key, twist, reverse) => {
      const tone = dtmfTone(key, 120, { rowPeak: 3000, twistDb: reverse ? -twist : twist });
      assert.deepEqual(digitsOf(add(concat(new Int16Array(1600), tone, new Int16Array(1600)), line(0.32))), []);
    }),
    { seed: 14, numRuns: 40 },
  );
});

test('dtmf: tones of 20 ms are not digits; a 40 ms pause separates two presses of one key', () => {
  assert.deepEqual(digitsOf(add(concat(new Int16Array(1600), dtmfTone('5', 20), new Int16Array(1600)), line(0.22))), []);
  const twice = concat(new Int16Array(1600), dtmfTone('5', 60), new Int16Array((40 * SR) / 1000), dtmfTone('5', 60), new Int16Array(1600));
  assert.deepEqual(digitsOf(add(twice, line(twice.length / SR))).map((d) => d.digit), ['5', '5']);
  // A 10 ms break inside a tone does not split it.
  const broken = concat(new Int16Array(1600), dtmfTone('9', 60), new Int16Array(160), dtmfTone('9', 60), new Int16Array(1600));
  assert.deepEqual(digitsOf(add(broken, line(broken.length / SR))).map((d) => d.digit), ['9']);
});

test('dtmf: a digit too quiet (each tone under -36 dBFS) is ignored, one at -30 dBFS is found', () => {
  const peakFor = (dbfs: number): number => 32768 * Math.SQRT2 * 10 ** (dbfs / 20);
  const at = (dbfs: number) => digitsOf(concat(new Int16Array(1600), dtmfTone('7', 100, { rowPeak: peakFor(dbfs) }), new Int16Array(1600)));
  assert.deepEqual(at(-40), []);
  assert.deepEqual(at(-30).map((d) => d.digit), ['7']);
});

test('(property) clean speech-like audio at any level above the silence threshold gives no finding', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 90, max: 260 }), fc.double({ min: -35, max: -1, noNaN: true }), (seed, f0, peakDbfs) => {
      const speech = render(speechSource({ f0, seed, peak: 8000, talking: () => true }), 20);
      let max = 0;
      for (const v of speech) max = Math.max(max, Math.abs(v));
      const gain = (32767 * 10 ** (peakDbfs / 20)) / max;
      const scaled = speech.map((v) => Math.round(v * gain));
      // A room's faint noise under it (-70 dBFS): real pauses are quiet, not digital zero.
      const { findings } = analyze([add(scaled, noise(20, 20, seed))]);
      assert.deepEqual(findings, [], `seed ${seed} f0 ${f0} peak ${peakDbfs} dBFS`);
    }),
    { seed: 15, numRuns: 12 },
  );
});

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UiBatchStage } from '../../../main/core/service/stages/ui-batch-stage.ts';
import type { TapChunk } from '../../../main/core/service/tap-stage.ts';

/** A stage on a fake clock: `at(ms)` moves time (firing due timers) and `push` stamps chunks with it. */
function harness(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  const sent: { leg: number; at: number; wall: number; data: Buffer }[] = [];
  const stage = new UiBatchStage(2, (leg, wall, data) => sent.push({ leg, at: now, wall, data }), () => now);
  let n = 0;
  return {
    sent,
    stage,
    at(ms: number): void {
      // A millisecond at a time, so a timer sees the clock at its own due time.
      while (now < ms) {
        now++;
        t.mock.timers.tick(1);
      }
    },
    push(leg = 0): Buffer {
      const data = Buffer.alloc(640, n++ % 256);
      stage.push({ leg, data, samples: new Int16Array(320), wallClockMs: 1e12 + now, monotonicMs: now } satisfies TapChunk);
      return data;
    },
  };
}

test('20 ms frames go out as they arrive, even when one comes late and the next on time (jitter up to 20 ms)', (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 19 }), { minLength: 2, maxLength: 200 }), (jitters) => {
      const h = harness(t);
      jitters.forEach((j, k) => {
        h.at(k * 20 + j);
        h.push();
        assert.equal(h.sent.length, k + 1, `frame ${k} (jitter ${j} ms after ${jitters[k - 1]} ms) was held`);
        assert.equal(h.sent[k]!.at, k * 20 + j);
      });
      h.stage.dispose();
      t.mock.timers.reset();
    }),
  );
});

test('after a burst (a stall, two frames in one tick), steady 20 ms frames go out as they arrive again: no lag is kept', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 30 }), fc.array(fc.integer({ min: 0, max: 19 }), { minLength: 3, maxLength: 100 }), (burst, jitters) => {
      const h = harness(t);
      for (let i = 0; i < burst; i++) h.push();
      const afterBurst = h.sent.length;
      jitters.forEach((j, k) => {
        h.at(20 + k * 20 + j);
        h.push();
      });
      // The burst's rest is one batch; then every steady frame leaves at its arrival.
      const steady = h.sent.slice(afterBurst + (burst > 2 ? 1 : 0));
      assert.equal(steady.length, jitters.length);
      steady.forEach((s, k) => assert.equal(s.at, 20 + k * 20 + jitters[k]!, `steady frame ${k} held ${s.at - (20 + k * 20 + jitters[k]!)} ms`));
      h.stage.dispose();
      t.mock.timers.reset();
    }),
  );
});

test('a burst goes as two messages and one batch 10 ms later, in order, stamped with its first frame; a flood is at most 100 messages a second', (t) => {
  const h = harness(t);
  const pushed: Buffer[] = [];
  for (let i = 0; i < 10; i++) pushed.push(h.push());
  assert.equal(h.sent.length, 2, 'two at once');
  h.at(9);
  assert.equal(h.sent.length, 2);
  h.at(10);
  assert.equal(h.sent.length, 3, 'the rest as one batch 10 ms later');
  assert.deepEqual(Buffer.concat(h.sent.map((s) => s.data)), Buffer.concat(pushed));
  assert.equal(h.sent[2]!.wall, 1e12);
  // A flood (a chunk every millisecond for a second): about 100 messages, never two within 10 ms.
  for (let ms = 11; ms <= 1010; ms++) {
    h.at(ms);
    h.push();
  }
  h.at(1100);
  const flood = h.sent.slice(3);
  assert.ok(flood.length >= 99 && flood.length <= 102, `${flood.length} messages`);
  for (let i = 1; i < flood.length; i++) assert.ok(flood[i]!.at - flood[i - 1]!.at >= 10, 'at most one message per 10 ms in a flood');
  // Legs are paced apart: the other leg is not held by this one.
  h.push(1);
  assert.equal(h.sent.at(-1)!.leg, 1);
  h.stage.dispose();
});

test('stopping drops pending batches and their timers', (t) => {
  const h = harness(t);
  h.push();
  h.push();
  h.push();
  assert.equal(h.sent.length, 2);
  h.stage.dispose();
  h.at(100);
  assert.equal(h.sent.length, 2);
});

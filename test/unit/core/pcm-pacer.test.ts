import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { PACE_MS, PcmPacer } from '../../../main/web/pcm-pacer.ts';

interface Sent {
  tap: number;
  leg: number;
  wall: number;
  bytes: number[];
}

function pacer(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 0;
  const sent: Sent[] = [];
  const p = new PcmPacer((tap, leg, wall, data) => sent.push({ tap, leg, wall, bytes: [...data] }), () => clock);
  const advance = (ms: number): void => {
    clock += ms;
    t.mock.timers.tick(ms);
  };
  return { p, sent, advance };
}

test('a tap the page never named, or hears, goes frame by frame; one it only shows goes every 40 ms as one packet per leg', (t) => {
  const { p, sent, advance } = pacer(t);
  p.push(1, 0, 1000, Buffer.from([1]));
  assert.equal(sent.length, 1, 'not named yet: at once');
  p.setAttention([1], [1, 2]);
  p.push(1, 0, 1020, Buffer.from([2]));
  assert.equal(sent.length, 2, 'heard: at once');
  p.push(2, 0, 1000, Buffer.from([3]));
  p.push(2, 1, 1000, Buffer.from([9]));
  advance(20);
  p.push(2, 0, 1020, Buffer.from([4]));
  assert.equal(sent.length, 2, 'shown: held');
  advance(PACE_MS.shown - 20);
  assert.deepEqual(sent.slice(2), [
    { tap: 2, leg: 0, wall: 1000, bytes: [3, 4] },
    { tap: 2, leg: 1, wall: 1000, bytes: [9] },
  ]);
});

test('a hidden tap is held four times longer; when the page starts hearing it, what was held goes at once', (t) => {
  const { p, sent, advance } = pacer(t);
  p.setAttention([], [7]);
  p.setAttention([], []); // tap 7 named, now in a background tab
  for (let i = 0; i < 5; i++) {
    p.push(7, 0, 1000 + i * 20, Buffer.from([i]));
    advance(20);
  }
  assert.equal(sent.length, 0, `hidden: held for ${PACE_MS.hidden} ms`);
  p.setAttention([7], [7]);
  assert.deepEqual(sent, [{ tap: 7, leg: 0, wall: 1000, bytes: [0, 1, 2, 3, 4] }]);
  p.push(7, 0, 1100, Buffer.from([5]));
  assert.equal(sent.length, 2, 'heard from now on: at once');
});

test('a hidden tap shown again is sent by the shown pace counted from when it was first held; dispose drops what is held', (t) => {
  const { p, sent, advance } = pacer(t);
  p.setAttention([], [3]);
  p.setAttention([], []);
  p.push(3, 0, 500, Buffer.from([1]));
  advance(30);
  p.setAttention([], [3]);
  assert.equal(sent.length, 0);
  advance(PACE_MS.shown - 30);
  assert.equal(sent.length, 1);
  p.setAttention([], []);
  p.push(3, 0, 600, Buffer.from([2]));
  p.dispose();
  advance(PACE_MS.hidden);
  assert.equal(sent.length, 1, 'nothing after dispose');
});

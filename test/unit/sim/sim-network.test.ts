import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOSSY_BURSTS, LOSSY_CYCLE_S, lossyFrameLost, lossyLostBefore, rtpStatisticsOf } from '../../../main/sim/sim-network.ts';
import { SCENARIOS } from '../../../main/sim/scenarios.ts';

const erin = () => SCENARIOS.find((s) => s.name === 'lossy')!.legs('00000001')[0]!;

test('the lossy call: a frame of exact zeros for each lost packet and nowhere else; the loss count is the schedule', () => {
  const spec = erin();
  assert.match(spec.name, /^PJSIP\/erin-/);
  let lost = 0;
  for (let f = 0; f < 2 * LOSSY_CYCLE_S * 50; f++) {
    assert.equal(lossyLostBefore(f), lost, `lost before frame ${f}`);
    const frame = spec.source(f)!;
    const zero = frame.every((x) => x === 0);
    assert.equal(zero, lossyFrameLost(f), `frame ${f}`);
    if (!zero) {
      // No run of zeros as long as a frame outside the losses (the talker's pauses are not dropouts).
      let run = 0;
      let longest = 0;
      for (const x of frame) longest = Math.max(longest, (run = x === 0 ? run + 1 : 0));
      assert.ok(longest < 8, `frame ${f} has ${longest} zeros in a row`);
    }
    if (lossyFrameLost(f)) lost++;
  }
  // Per 10 s cycle: 2 s at 1 in 5, 1 s at 1 in 3.
  assert.equal(lossyLostBefore(LOSSY_CYCLE_S * 50), LOSSY_BURSTS.reduce((s, b) => s + Math.ceil(((b.endS - b.startS) * 50) / b.lossEvery), 0));
  assert.equal(lossyLostBefore(LOSSY_CYCLE_S * 50), 20 + 17);
});

test('rtp_statistics of a demo channel: a pure function of its frame count; 403 for channels without RTP', () => {
  const ch = { uniqueid: '1.9', name: 'PJSIP/erin-1', lossy: true, frames: 230, ssrc: 42 };
  assert.deepEqual(rtpStatisticsOf(ch), rtpStatisticsOf({ ...ch }));
  const inBurst = rtpStatisticsOf(ch).body as Record<string, number>;
  assert.equal(inBurst['rxploss'], lossyLostBefore(230));
  assert.ok(inBurst['rxjitter']! > 0.05, 'jitter raised inside the burst (3-5 s)');
  const calm = rtpStatisticsOf({ ...ch, frames: 120 }).body as Record<string, number>;
  assert.ok(calm['rxjitter']! < 0.005 && calm['rxploss'] === 0);
  assert.deepEqual(rtpStatisticsOf({ ...ch, name: 'Local/milliwatt@demo-1;1' }), { status: 403, body: { message: 'Unsupported channel type' } });
});

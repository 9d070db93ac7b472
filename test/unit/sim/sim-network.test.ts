import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOSSY_CHANNEL_PREFIX, LOSSY_SCENARIO, lossyFrameLost, lossyLostBefore, rtpStatisticsOf } from '../../../main/sim/sim-network.ts';
import { DROPOUT_BURSTS, DROPOUT_CYCLE_FRAMES } from '../../../main/sim/signal-generators.ts';
import { SCENARIOS } from '../../../main/sim/scenarios.ts';

const lossyLeg = () => SCENARIOS.find((s) => s.name === LOSSY_SCENARIO)!.legs('00000001').find((l) => l.name.startsWith(LOSSY_CHANNEL_PREFIX))!;

test('the lossy leg (the dropouts call): RTP loses exactly the packets whose audio is a frame of zeros; the count is the schedule', () => {
  const spec = lossyLeg();
  let lost = 0;
  for (let f = 0; f < 2 * DROPOUT_CYCLE_FRAMES; f++) {
    assert.equal(lossyLostBefore(f), lost, `lost before frame ${f}`);
    const zero = spec.source(f)!.every((x) => x === 0);
    if (lossyFrameLost(f)) {
      assert.ok(zero, `lost frame ${f} is zeros`);
      lost++;
    }
  }
  assert.equal(lossyLostBefore(DROPOUT_CYCLE_FRAMES), DROPOUT_BURSTS.reduce((s, b) => s + b.frames, 0));
  assert.equal(lossyLostBefore(DROPOUT_CYCLE_FRAMES), 37);
});

test('rtp_statistics of a demo channel: a pure function of its frame count; jitter and RTT rise with a burst; 403 for channels without RTP', () => {
  const ch = { uniqueid: '1.9', name: 'PJSIP/judy-1', lossy: true, frames: 415, ssrc: 42 };
  assert.deepEqual(rtpStatisticsOf(ch), rtpStatisticsOf({ ...ch }));
  const inBurst = rtpStatisticsOf(ch).body as Record<string, number>;
  assert.equal(inBurst['rxploss'], lossyLostBefore(415));
  assert.equal(inBurst['rxcount']! + inBurst['rxploss']!, inBurst['txcount']);
  assert.ok(inBurst['rxjitter']! > 0.05, `jitter raised in the 400 ms burst: ${inBurst['rxjitter']}`);
  assert.ok(inBurst['rtt']! > 0.3, 'RTT raised');
  const calm = rtpStatisticsOf({ ...ch, frames: 30 }).body as Record<string, number>;
  assert.ok(calm['rxjitter']! < 0.005 && calm['rxploss'] === 0 && calm['rtt']! < 0.03);
  const clean = rtpStatisticsOf({ ...ch, lossy: false, name: 'PJSIP/alice-1' }).body as Record<string, number>;
  assert.equal(clean['rxploss'], 0);
  assert.deepEqual(rtpStatisticsOf({ ...ch, name: 'Local/milliwatt@demo-1;1' }), { status: 403, body: { message: 'Unsupported channel type' } });
});

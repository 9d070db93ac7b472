import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../preload/contract.ts';
import { CallAnalyzer } from '../../main/core/diagnostics/call-analyzer.ts';
import { StreamChannelClient } from '../../main/core/tap/stream-channel-client.ts';
import { ECHO_DELAY_MS, ECHO_LOSS_DB, IVR_DIGITS } from '../../main/sim/scenarios.ts';
import { DROPOUT_BURSTS } from '../../main/sim/signal-generators.ts';
import { channelName, startPbx, waitFor } from '../helpers/demo-pbx.ts';

const SECONDS = 12;

/** Taps a call's channels over stream-channel, feeding each leg's chunks to one analyzer as the tap session would. */
function tapCall(url: string, channels: string[]) {
  const analyzer = new CallAnalyzer({ legs: channels.length as 1 | 2 });
  const findings: Finding[] = [];
  analyzer.events.on('finding', (f) => findings.push(f));
  const clients = channels.map((channel, leg) => {
    const client = new StreamChannelClient({ url, channel });
    client.events.on('pcm', (chunk) => analyzer.pushBytes(leg, chunk.data, chunk.wallClockMs));
    return client.connect();
  });
  return { analyzer, findings, clients, channels };
}

test('the demo PBX fault calls, tapped through the core: the analyzer finds one-way, echo, dropouts and in-band DTMF', async (t) => {
  const pbx = await startPbx(t, { scenarios: ['one-way', 'echo', 'dropouts', 'ivr-dtmf', 'conversation'] });
  const url = pbx.wsUrl;
  const calls = {
    oneWay: tapCall(url, [channelName(pbx, 'PJSIP/frank-'), channelName(pbx, 'PJSIP/grace-')]),
    echo: tapCall(url, [channelName(pbx, 'PJSIP/henry-'), channelName(pbx, 'PJSIP/ivy-')]),
    dropouts: tapCall(url, [channelName(pbx, 'PJSIP/judy-'), channelName(pbx, 'PJSIP/ken-')]),
    ivr: tapCall(url, [channelName(pbx, 'PJSIP/olivia-')]),
    clean: tapCall(url, [channelName(pbx, 'PJSIP/alice-'), channelName(pbx, 'PJSIP/bob-')]),
  };
  const all = Object.values(calls);
  await waitFor(() => all.every((c) => c.analyzer.durationS >= SECONDS), `${SECONDS} s of audio on every tap`, 60_000);
  // The calls end at the PBX (a tap never closes first), then the analyzers close their stretches.
  for (const c of all) for (const name of c.channels) pbx.hangup(name);
  await Promise.all(all.flatMap((c) => c.clients.map((client) => client.socketClosed)));
  for (const c of all) c.analyzer.finish();
  const kinds = (c: { findings: Finding[] }): string[] => [...new Set(c.findings.map((f) => f.kind))].sort();

  const show = (c: { findings: Finding[] }): string => JSON.stringify(c.findings.map(({ message: _m, ...f }) => f));
  assert.deepEqual(kinds(calls.oneWay), ['one-way'], show(calls.oneWay));
  const oneWay = calls.oneWay.findings[0]!;
  assert.equal(oneWay.leg, 1, 'grace, the silent leg');
  assert.ok(oneWay.endS - oneWay.startS >= SECONDS - 1, JSON.stringify(oneWay));
  assert.ok(oneWay.startWallMs! > 1.7e12, 'live findings carry wall-clock time');

  assert.deepEqual(kinds(calls.echo), ['echo'], show(calls.echo));
  for (const e of calls.echo.findings) {
    assert.equal(e.leg, 1, 'ivy carries the echo');
    // Two sockets are lined up by arrival time, corrected by the earliest arrivals; under load
    // that is a few ms (the ±5 ms figure on aligned audio: test/unit, test/integration/cli-analyze).
    assert.ok(Math.abs(e.delayMs! - ECHO_DELAY_MS) <= 10 && Math.abs(e.lossDb! - ECHO_LOSS_DB) <= 3, JSON.stringify(e));
  }

  assert.deepEqual(kinds(calls.dropouts), ['dropout'], show(calls.dropouts));
  const burstMs = DROPOUT_BURSTS.map((b) => b.frames * 20);
  assert.ok(calls.dropouts.findings.length >= 2, `${calls.dropouts.findings.length} dropouts`);
  for (const d of calls.dropouts.findings) {
    const ms = (d.endS - d.startS) * 1000;
    assert.equal(d.leg, 0, 'judy, the lossy leg');
    assert.ok(burstMs.some((b) => Math.abs(b - ms) <= 1), `a ${ms} ms dropout is one of the scheduled bursts ${burstMs.join(', ')}`);
  }

  assert.deepEqual(kinds(calls.ivr), ['dtmf'], show(calls.ivr));
  const digits = calls.ivr.findings.map((f) => f.digit).join('');
  assert.ok(digits.includes(IVR_DIGITS), `digits ${digits}`);
  assert.ok([...digits].every((d) => IVR_DIGITS.includes(d)));

  assert.deepEqual(calls.clean.findings, [], show(calls.clean));
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { repairWav } from '../../main/core/audio/wav-repair.ts';
import { channelName, delay, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';

test('record 3 s of the milliwatt channel: a 3 s WAV of 1004 Hz, then it waits for the call to end', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'mw.wav');
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', name, '--out', out, '--seconds', '3', '--endpoint', 'Demo']);
  await run.waitForOutput(/waiting for the call to end/);
  const wav = await readWav(out);
  assert.ok(Math.abs(wav.durationMs - 3000) <= 100, `duration ${wav.durationMs}`);
  const hz = dominantFrequency(wav.data, wav.format.sampleRate);
  assert.ok(Math.abs(hz - 1004) <= 5, `dominant ${hz} Hz`);
  assert.equal(wav.info.channel, name);
  assert.equal(wav.info.endpoint, 'Demo');
  assert.ok(!Number.isNaN(Date.parse(wav.info.startedAt ?? '')));
  assert.equal(run.child.exitCode, null, 'still draining while the call is up');
  pbx.hangup(name);
  assert.equal(await run.exit, 0);
  assert.match(run.stderr(), /Saved .*mw\.wav: 3\.00 s/);
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('Ctrl+C finishes the file at once and keeps draining; a second Ctrl+C only warns; typing "close" closes', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'int.wav');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', channelName(pbx, 'PJSIP/dave-'), '--out', out], { stdin: 'pipe' });
  await run.waitForOutput(/REC 00:01/);
  run.child.kill('SIGINT');
  await run.waitForOutput(/waiting for the call to end/);
  const wav = await readWav(out);
  assert.ok(wav.durationMs >= 1000);
  assert.equal(pbx.counters.clientFirstCloses, 0, `the CLI closed first; its output:\n${run.stderr()}\nexit ${run.child.exitCode}`);
  run.child.kill('SIGINT');
  await run.waitForOutput(/can crash or wedge Asterisk[\s\S]*type "close"/);
  run.child.stdin!.write('yes\n');
  await run.waitForOutput(/Not "close"/);
  assert.equal(run.child.exitCode, null);
  assert.equal(pbx.counters.clientFirstCloses, 0, 'a second Ctrl+C alone never closes');
  run.child.stdin!.write('close\n');
  assert.equal(await run.exit, 0);
  assert.match(run.stderr(), /Closing now, as confirmed/);
  await waitFor(() => pbx.counters.clientFirstCloses === 1, 'the forced close reached the PBX');
});

test('--force-close closes right after recording', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'fc.wav');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', channelName(pbx, 'Local/milliwatt@'), '--out', out, '--seconds', '0.5', '--force-close']);
  assert.equal(await run.exit, 0);
  assert.match(run.stderr(), /can crash Asterisk/);
  assert.ok(Math.abs((await readWav(out)).durationMs - 500) < 1);
});

test('exit codes: 4 channel not found, 3 connection failed, 2 usage', async (t) => {
  const pbx = await startPbx(t);
  const dir = await tempDir(t);
  const notFound = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', 'PJSIP/ghost-00000001', '--out', join(dir, 'a.wav')]);
  assert.equal(await notFound.exit, 4);
  assert.match(notFound.stderr(), /does not exist/);
  const refused = runCli(t, ['probe', '--url', 'ws://127.0.0.1:1/ws', '--channel', 'x']);
  assert.equal(await refused.exit, 3);
  assert.match(refused.stdout(), /Nothing is listening/);
  const usage = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', 'x']);
  assert.equal(await usage.exit, 2);
  assert.match(usage.stderr(), /--out FILE\.wav \(or --out-dir DIR\) is required/);
  const unknown = runCli(t, ['frobnicate']);
  assert.equal(await unknown.exit, 2);
  // No scheme: a usage error (issue 11), naming the form expected.
  const badUrl = runCli(t, ['probe', '--url', 'pbx', '--channel', 'x', '--json']);
  assert.equal(await badUrl.exit, 2);
  assert.match(badUrl.stderr(), /--url takes a URL with its scheme/);
});

test('probe --json reports handshake, sub-protocol, first frame, sizes, pacing and a verdict', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', name, '--seconds', '1', '--json', '--stay']);
  await run.waitForOutput(/waiting for the call to end/);
  const report = JSON.parse(run.stdout()) as Record<string, unknown>;
  assert.equal(report['verdict'], 'streaming');
  assert.equal(report['protocol'], 'stream-channel');
  // Counts and pacing depend on how busy this machine is, so they are checked for consistency with
  // each other, not against the clock: every interval between the frames it counted is summarised.
  const frames = report['frames'] as number;
  assert.ok(frames >= 2, `${frames} frames`);
  assert.deepEqual(report['sizes'], { '640': frames });
  const pacing = report['interarrivalMs'] as { n: number; min: number; median: number; max: number };
  assert.equal(pacing.n, frames - 1);
  assert.ok(pacing.min <= pacing.median && pacing.median <= pacing.max);
  assert.equal(typeof report['handshakeMs'], 'number');
  pbx.hangup(name);
  assert.equal(await run.exit, 0);
  await waitFor(() => pbx.channelByPrefix('Local/milliwatt@') !== undefined, 'the next milliwatt call');
  const quiet = channelName(pbx, 'Local/milliwatt@', ';2');
  const silent = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', quiet, '--seconds', '0.5', '--stay']);
  await silent.waitForOutput(/Verdict: +silent/);
  pbx.hangup(quiet);
  assert.equal(await silent.exit, 4);
});

test('channels lists live channels with bridged legs grouped; a wrong password is a clear error', async (t) => {
  const pbx = await startPbx(t);
  const run = runCli(t, ['channels', '--ari', pbx.url, '--user', 'demo', '--password', 'demo', '--json']);
  assert.equal(await run.exit, 0);
  const { calls } = JSON.parse(run.stdout()) as { calls: { name: string }[][] };
  const convo = calls.find((c) => c.length === 2 && c.some((l) => l.name.startsWith('PJSIP/alice-')));
  assert.ok(convo?.some((l) => l.name.startsWith('PJSIP/bob-')), 'alice and bob are one call');
  assert.equal(calls.flat().length, pbx.listChannels().length);
  const table = runCli(t, ['channels', '--ari', `${pbx.url}/ari`, '--user', 'demo', '--password', 'demo']);
  assert.equal(await table.exit, 0);
  assert.match(table.stdout(), /Alice <1001>/);
  const wrong = runCli(t, ['channels', '--ari', pbx.url, '--user', 'demo', '--password', 'nope']);
  assert.equal(await wrong.exit, 3);
  assert.match(wrong.stderr(), /401/);
});

test('sim prints its URL on the first line and serves taps until Ctrl+C', async (t) => {
  const sim = runCli(t, ['sim', '--port', '0', '--call-seconds', '2']);
  await sim.waitForOutput(/^listening on http:\/\/127\.0\.0\.1:\d+\n/);
  await sim.waitForOutput(/Local\/milliwatt@\S+;1/);
  const url = /listening on (\S+)/.exec(sim.stdout())![1]!;
  const probe = runCli(t, ['probe', '--url', `${url.replace('http', 'ws')}/ws`, '--channel', /(Local\/milliwatt@\S+;1)/.exec(sim.stderr())![1]!, '--seconds', '0.5']);
  await probe.waitForOutput(/Verdict: +streaming/);
  assert.equal(await probe.exit, 0, 'the 2 s call hangs up by itself, so the probe ends cleanly');
  sim.child.kill('SIGINT');
  assert.equal(await sim.exit, 0);
});

test('kill -9 during a recording, then repair: a valid WAV that keeps every byte of audio that reached the disk', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'killed.wav');
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', name, '--out', out]);
  await run.waitForOutput(/REC 00:0[2-9]/);
  // How much of what the process took is on disk at the kill depends on when its flush timer last
  // ran, which load delays (1020 of 2240 ms once): so wait for audio on disk rather than for time.
  await waitFor(() => statSync(out).size >= 48_000, 'over a second of audio on disk', 30_000);
  const id = pbx.findChannel(name)!.json.id;
  assert.equal(pbx.listenerCount(id), 1);
  run.child.kill('SIGKILL');
  await run.exit;
  const sentMs = pbx.counters.framesSent * 20;
  const onDisk = (await stat(out)).size;
  const report = await repairWav(out);
  // Killed right after a header update the file is already consistent ('ok'); otherwise repaired.
  assert.ok(report.status === 'repaired' || report.status === 'ok', report.message);
  const wav = await readWav(out);
  // Repair keeps all the audio the dead process had written (whole samples), and nothing it had not.
  assert.equal(wav.dataBytes, Math.floor((onDisk - wav.dataOffset) / 2) * 2, `kept ${wav.dataBytes} of ${onDisk - wav.dataOffset} bytes on disk`);
  assert.ok(wav.durationMs >= 1000, `kept ${wav.durationMs} ms`);
  assert.ok(wav.durationMs <= sentMs + 40);
  assert.ok(Math.abs(dominantFrequency(wav.data, 16000) - 1004) <= 5);
  await delay(50);
});

test('serve, the whole app flow on stream-channel (open, record, stop, quit): no client-first close', async (t) => {
  const pbx = await startPbx(t);
  const serve = runCli(t, ['serve', '--port', '0', '--config-dir', await tempDir(t), '--recordings-dir', await tempDir(t)]);
  await serve.waitForOutput(/serving on (\S+)/);
  const url = new URL(/serving on (\S+)/.exec(serve.stdout())![1]!);
  const token = url.searchParams.get('token')!;
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://${url.host}/bridge`, { headers: { Origin: url.origin, Cookie: `tap_token_${url.port}=${token}` } });
  const replies = new Map<number, { res?: { id: string } }>();
  ws.on('message', (d: Buffer, bin: boolean) => {
    if (!bin) {
      const m = JSON.parse(String(d)) as { id?: number };
      if (m.id !== undefined) replies.set(m.id, m as never);
    }
  });
  await new Promise((r) => ws.on('open', r));
  const call = async (id: number, channel: string, req: unknown) => {
    ws.send(JSON.stringify({ id, channel, req }));
    await waitFor(() => replies.has(id), `reply ${id}`);
    return replies.get(id)!.res!;
  };
  const ep = await call(1, 'endpoints:save', { name: 'Lab', wsUrl: pbx.wsUrl, headers: {}, allowSelfSigned: false });
  const name = channelName(pbx, 'Local/milliwatt@');
  const tap = await call(2, 'tap:open', { endpointId: ep.id, channels: [name] });
  await waitFor(() => pbx.listenerCount(pbx.findChannel(name)!.json.id) === 1, 'the tap is connected');
  await call(3, 'tap:record', { tapId: tap.id, on: true });
  await delay(500);
  await call(4, 'tap:record', { tapId: tap.id, on: false });
  // A second tap stays open; the first is stopped (detached, draining) before quitting.
  await call(5, 'tap:open', { endpointId: ep.id, channels: [name] });
  ws.send(JSON.stringify({ id: 6, channel: 'tap:stop', req: { tapId: tap.id } }));
  await waitFor(() => replies.has(6), 'stopped');
  await waitFor(() => pbx.listenerCount(pbx.findChannel(name)!.json.id) === 2, 'both taps connected');
  assert.equal(pbx.counters.clientFirstCloses, 0);
  serve.child.kill('SIGINT');
  await serve.waitForOutput(/waiting for their calls to end/);
  await delay(300);
  assert.equal(pbx.counters.clientFirstCloses, 0, serve.stderr());
  assert.equal(serve.child.exitCode, null);
  pbx.hangup(name);
  assert.equal(await serve.exit, 0);
  assert.equal(pbx.counters.clientFirstCloses, 0);
  ws.terminate();
});

test('record --transport ari-media: stock Asterisk path, 1004 Hz, ends at once and cleans up', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'ari.wav');
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['record', '--transport', 'ari-media', '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo', '--channel', name, '--out', out, '--seconds', '1']);
  assert.equal(await run.exit, 0, run.stderr());
  const wav = await readWav(out);
  assert.equal(wav.durationMs, 1000);
  assert.ok(Math.abs(dominantFrequency(wav.data, 16000) - 1004) <= 5);
  assert.doesNotMatch(run.stderr(), /waiting for the call to end/);
  await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, 'snoop, external channel and bridge deleted');
  const usage = runCli(t, ['record', '--transport', 'ari-media', '--channel', name, '--out', join(await tempDir(t), 'x.wav')]);
  assert.equal(await usage.exit, 2);
  assert.match(usage.stderr(), /needs --ari/);
});

test('probe --transport auto picks ari-media on an Asterisk with chan_websocket', async (t) => {
  const pbx = await startPbx(t);
  const run = runCli(t, ['probe', '--transport', 'auto', '--url', pbx.wsUrl, '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo', '--channel', channelName(pbx, 'PJSIP/dave-'), '--seconds', '0.5', '--json']);
  assert.equal(await run.exit, 0, run.stderr());
  const report = JSON.parse(run.stdout()) as { verdict: string; protocol: string; sizes: Record<string, number> };
  assert.equal(report.verdict, 'streaming');
  assert.match(report.protocol, /chan_websocket slin16/);
  assert.deepEqual(Object.keys(report.sizes), ['640']);
  assert.equal(pbx.counters.streamConnections, 0, 'no stream-channel socket was opened');
});

test('record --direction both: a stereo WAV, left what the channel reads, right what it is sent', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'both.wav');
  const quiet = channelName(pbx, 'Local/milliwatt@', ';2');
  const run = runCli(t, ['record', '--transport', 'ari-media', '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo', '--channel', quiet, '--direction', 'both', '--out', out, '--seconds', '2']);
  assert.equal(await run.exit, 0, run.stderr());
  const wav = await readWav(out);
  assert.equal(wav.format.channels, 2);
  assert.equal(wav.durationMs, 2000);
  const left = Buffer.alloc(wav.data.length / 2);
  const right = Buffer.alloc(wav.data.length / 2);
  for (let i = 0; i < wav.data.length / 4; i++) {
    wav.data.copy(left, i * 2, i * 4, i * 4 + 2);
    wav.data.copy(right, i * 2, i * 4 + 2, i * 4 + 4);
  }
  assert.ok(left.every((b) => b === 0), 'the ;2 leg reads nothing');
  assert.ok(Math.abs(dominantFrequency(right, 16000) - 1004) <= 5, 'it is sent the tone');
  const usage = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', quiet, '--direction', 'both', '--out', join(await tempDir(t), 'x.wav')]);
  assert.equal(await usage.exit, 2);
  assert.match(usage.stderr(), /needs --transport ari-media/);
  await waitFor(() => pbx.media.channels().length === 0, 'both legs torn down');
});

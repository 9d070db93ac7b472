import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { channelName, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

test('a failed record (refused, unknown channel) leaves no file and does not say "Saved"', async (t) => {
  const pbx = await startPbx(t);
  const dir = await tempDir(t);
  const refused = runCli(t, ['record', '--url', `ws://127.0.0.1:${await closedPort()}/ws`, '--channel', 'x', '--out', join(dir, 'refused.wav')]);
  assert.equal(await refused.exit, 3);
  const ghost = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', 'PJSIP/ghost-00000001', '--out', join(dir, 'ghost.wav')]);
  assert.equal(await ghost.exit, 4);
  for (const run of [refused, ghost]) {
    assert.doesNotMatch(run.stderr(), /Saved/);
    assert.match(run.stderr(), /Nothing recorded .* was not kept/);
  }
  assert.deepEqual(await readdir(dir), [], 'no file left behind');
  // So the rerun needs no --overwrite.
  const again = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', channelName(pbx, 'Local/milliwatt@', ';1'), '--out', join(dir, 'ghost.wav'), '--seconds', '0.5', '--force-close']);
  assert.equal(await again.exit, 0, again.stderr());
});

test('an existing file is a usage error that names --overwrite, and is left as it was', async (t) => {
  const pbx = await startPbx(t);
  const out = join(await tempDir(t), 'keep.wav');
  await writeFile(out, 'precious');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', channelName(pbx, 'PJSIP/dave-'), '--out', out]);
  assert.equal(await run.exit, 2);
  assert.match(run.stderr(), /already exists: add --overwrite to replace it/);
  assert.equal(await readFile(out, 'utf8'), 'precious');
  assert.equal(pbx.counters.streamConnections, 0, 'nothing connected');
});

test('URLs without a scheme and channels without --password are usage errors (exit 2); a blocked port is explained', async (t) => {
  const dir = await tempDir(t);
  const rec = runCli(t, ['record', '--url', '127.0.0.1:1234', '--channel', 'x', '--out', join(dir, 'a.wav')]);
  assert.equal(await rec.exit, 2);
  assert.match(rec.stderr(), /--url takes a URL with its scheme .*ws:\/\/HOST:8088\/ws/);
  const ch = runCli(t, ['channels', '--ari', '127.0.0.1:5999', '--user', 'u', '--password', 'p']);
  assert.equal(await ch.exit, 2);
  assert.match(ch.stderr(), /--ari takes a URL with its scheme/);
  const noPassword = runCli(t, ['channels', '--ari', 'http://127.0.0.1:5999/ari', '--user', 'u']);
  assert.equal(await noPassword.exit, 2);
  assert.match(noPassword.stderr(), /--password is required/);
  const badPort = runCli(t, ['channels', '--ari', 'http://127.0.0.1:1/ari', '--user', 'u', '--password', 'p']);
  assert.equal(await badPort.exit, 3);
  assert.match(badPort.stderr(), /port 1 is on the list of ports that fetch .* refuses/);
  assert.equal(existsSync(join(dir, 'a.wav')), false);
});

test('a silent leg: record says the leg sent no audio', async (t) => {
  const pbx = await startPbx(t);
  const quiet = channelName(pbx, 'Local/milliwatt@', ';2');
  const out = join(await tempDir(t), 'quiet.wav');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', quiet, '--out', out]);
  await run.waitForOutput(/\[silent\]/);
  pbx.hangup(quiet);
  assert.equal(await run.exit, 4);
  assert.match(run.stderr(), /sent no audio while it was recorded .*holds no sound/);
});

test('record several channels in one process: a file per leg, or one stereo file with --stereo', async (t) => {
  const pbx = await startPbx(t);
  const dir = await tempDir(t);
  const alice = channelName(pbx, 'PJSIP/alice-');
  const bob = channelName(pbx, 'PJSIP/bob-');
  const mw = channelName(pbx, 'Local/milliwatt@', ';1');
  const each = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', alice, '--channel', bob, '--channel', mw, '--out-dir', dir, '--seconds', '1.5']);
  await each.waitForOutput(/waiting for the call to end/, 20_000);
  await waitFor(() => (each.stderr().match(/Saved /g) ?? []).length === 3, 'three files saved');
  const names = (await readdir(dir)).sort();
  assert.equal(names.length, 3, names.join(', '));
  for (const n of names) assert.equal((await readWav(join(dir, n))).durationMs, 1500, n);
  const tone = await readWav(join(dir, names.find((n) => n.startsWith('Local_milliwatt'))!));
  assert.ok(Math.abs(dominantFrequency(tone.data, 16000) - 1004) <= 5);
  assert.equal(pbx.counters.clientFirstCloses, 0);
  pbx.hangup(alice);
  pbx.hangup(mw);
  assert.equal(await each.exit, 0, each.stderr());

  const stereoOut = join(await tempDir(t), 'call.wav');
  const a2 = channelName(pbx, 'PJSIP/dave-');
  const stereo = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', a2, '--channel', channelName(pbx, 'PJSIP/carol-'), '--stereo', '--out', stereoOut, '--seconds', '1', '--force-close']);
  assert.equal(await stereo.exit, 0, stereo.stderr());
  const wav = await readWav(stereoOut);
  assert.equal(wav.format.channels, 2);
  // Never past --seconds (the writer's limit; a flush in flight was once not counted: 1.0146 s).
  // Under load it was once seen 11 ms short (0.989 s), not yet explained: see the report of issue 11.
  assert.ok(wav.durationMs <= 1000 && wav.durationMs >= 900, JSON.stringify({ dataBytes: wav.dataBytes, declared: wav.declaredDataBytes, fileBytes: wav.fileBytes, offset: wav.dataOffset, ms: wav.durationMs, err: stereo.stderr() }));
});

test('record --call: every leg of the call that holds one channel, found through ARI', async (t) => {
  const pbx = await startPbx(t);
  const dir = await tempDir(t);
  const alice = channelName(pbx, 'PJSIP/alice-');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo', '--channel', alice, '--call', '--out-dir', dir, '--seconds', '1', '--force-close']);
  assert.equal(await run.exit, 0, run.stderr());
  const names = (await readdir(dir)).sort();
  assert.deepEqual(names.map((n) => n.split('-')[0]), ['PJSIP_alice', 'PJSIP_bob']);
});

test('with ARI given, an unknown channel is refused before any stream-channel socket (no ERROR in the PBX log)', async (t) => {
  const pbx = await startPbx(t);
  const ari = ['--ari', pbx.ariUrl, '--user', 'demo', '--password', 'demo'];
  const rec = runCli(t, ['record', '--url', pbx.wsUrl, ...ari, '--channel', 'PJSIP/ghost-00000009', '--out', join(await tempDir(t), 'g.wav')]);
  assert.equal(await rec.exit, 4);
  assert.match(rec.stderr(), /does not exist .*no connection was opened/);
  const probe = runCli(t, ['probe', '--url', pbx.wsUrl, ...ari, '--channel', 'PJSIP/ghost-00000009', '--json']);
  assert.equal(await probe.exit, 4);
  assert.equal((JSON.parse(probe.stdout()) as { verdict: string }).verdict, 'channel-not-found');
  assert.equal(pbx.counters.streamConnections, 0);
  assert.equal(pbx.counters.errorLog, 0);
});

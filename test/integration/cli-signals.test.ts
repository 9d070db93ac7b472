import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { channelName, delay, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** Issue 10 §2: no signal closes a stream-channel socket first. Each case runs the real CLI against the demo PBX. */

function listening(pbx: DemoPbx, name: string): () => boolean {
  return () => pbx.listenerCount(pbx.findChannel(name)?.json.id ?? '') >= 1;
}

/** The process is alive, the socket is kept, the PBX saw no client-first close; then a hangup ends it cleanly. */
async function stillDrainingThenHangup(pbx: DemoPbx, run: CliRun, name: string, code = 0): Promise<void> {
  // Long enough for a killed process to have closed its socket (the PBX sees it within ms).
  await delay(300);
  assert.equal(run.child.exitCode, null, `the process ended: ${run.stderr()}`);
  assert.equal(run.child.signalCode, null);
  assert.equal(pbx.counters.clientFirstCloses, 0, `a client-first close:\n${run.stderr()}`);
  assert.ok(listening(pbx, name)(), 'the PBX still has the listener');
  pbx.hangup(name);
  assert.equal(await run.exit, code, run.stderr());
  assert.equal(pbx.counters.clientFirstCloses, 0);
}

for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
  test(`record, ${signal}: the file is finished, the socket drained until the call ends`, async (t) => {
    const pbx = await startPbx(t);
    const name = channelName(pbx, 'PJSIP/dave-');
    const out = join(await tempDir(t), 'r.wav');
    const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', name, '--out', out]);
    await run.waitForOutput(/REC 00:01/);
    run.child.kill(signal);
    await run.waitForOutput(/Saved .*r\.wav/);
    assert.ok((await readWav(out)).durationMs >= 1000);
    await stillDrainingThenHangup(pbx, run, name);
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`probe, ${signal} during the listening window: reports at once and never closes first`, async (t) => {
    const pbx = await startPbx(t);
    const name = channelName(pbx, 'Local/milliwatt@');
    const run = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', name, '--seconds', '600', '--json', '--stay']);
    await waitFor(listening(pbx, name), 'the probe is connected', 15_000);
    const sent = pbx.counters.framesSent;
    await waitFor(() => pbx.counters.framesSent >= sent + 5, 'audio flowing');
    run.child.kill(signal);
    await run.waitForOutput(/"verdict"/);
    await stillDrainingThenHangup(pbx, run, name);
  });
}

test('probe: one Ctrl+C after it reported does not close (it waits; the second only warns)', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', name, '--seconds', '0.5', '--stay']);
  await run.waitForOutput(/waiting for the call to end/, 15_000);
  assert.match(run.stdout(), /Verdict: +streaming/);
  run.child.kill('SIGINT');
  await delay(200);
  run.child.kill('SIGINT');
  await run.waitForOutput(/can crash or wedge Asterisk/);
  await stillDrainingThenHangup(pbx, run, name);
});

test('probe --json: stdout is complete and closed at once while the process keeps draining (probe | jq works)', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', name, '--seconds', '0.5', '--json', '--stay']);
  await new Promise((resolve) => run.child.stdout!.on('end', resolve));
  const report = JSON.parse(run.stdout()) as { verdict: string };
  assert.equal(report.verdict, 'streaming');
  await run.waitForOutput(/Result written \(stdout closed\)[\s\S]*waiting for the call to end/);
  await stillDrainingThenHangup(pbx, run, name);
});

test('record: the first Ctrl+C after a text-frame failure does not close (the failed socket is still drained)', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'text', afterMs: 300 }] });
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', name, '--out', join(await tempDir(t), 'x.wav')]);
  await run.waitForOutput(/text frame[\s\S]*waiting for the call to end|waiting for the call to end[\s\S]*text frame/);
  run.child.kill('SIGINT');
  await stillDrainingThenHangup(pbx, run, name, 3);
});

async function serveWithBridge(t: TestContext) {
  const serve = runCli(t, ['serve', '--port', '0', '--config-dir', await tempDir(t), '--recordings-dir', await tempDir(t)]);
  await serve.waitForOutput(/serving on (\S+)/, 20_000);
  const url = new URL(/serving on (\S+)/.exec(serve.stdout())![1]!);
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://${url.host}/bridge`, { headers: { Origin: url.origin, Cookie: `tap_token_${url.port}=${url.searchParams.get('token')!}` } });
  t.after(() => ws.terminate());
  const replies = new Map<number, { res?: { id: string }; error?: unknown }>();
  ws.on('message', (d: Buffer, bin: boolean) => {
    if (bin) return;
    const m = JSON.parse(String(d)) as { id?: number };
    if (m.id !== undefined) replies.set(m.id, m as never);
  });
  await new Promise((r) => ws.on('open', r));
  let next = 1;
  const call = async (channel: string, req: unknown) => {
    const id = next++;
    ws.send(JSON.stringify({ id, channel, req }));
    await waitFor(() => replies.has(id), `reply ${id}`, 15_000);
    return replies.get(id)!.res!;
  };
  return { serve, call };
}

test('serve, SIGHUP with a tap open: stops serving, drains until the call ends', async (t) => {
  const pbx = await startPbx(t);
  const { serve, call } = await serveWithBridge(t);
  const ep = await call('endpoints:save', { name: 'Lab', wsUrl: pbx.wsUrl, headers: {}, allowSelfSigned: false });
  const name = channelName(pbx, 'PJSIP/alice-');
  await call('tap:open', { endpointId: ep.id, channels: [name] });
  await waitFor(listening(pbx, name), 'the tap is connected');
  serve.child.kill('SIGHUP');
  await serve.waitForOutput(/waiting for their calls to end/);
  await stillDrainingThenHangup(pbx, serve, name);
});

test('serve: the socket an endpoint test leaves is tracked; Ctrl+C says so and waits; the next Ctrl+C does not close it', async (t) => {
  const pbx = await startPbx(t);
  const { serve, call } = await serveWithBridge(t);
  const ep = await call('endpoints:save', { name: 'Lab', wsUrl: pbx.wsUrl, headers: {}, allowSelfSigned: false });
  const name = channelName(pbx, 'PJSIP/dave-');
  await call('endpoints:test', { id: ep.id, channel: name });
  await waitFor(listening(pbx, name), 'the test socket is draining');
  serve.child.kill('SIGINT');
  await serve.waitForOutput(/1 tap\(s\) are still connected: waiting for their calls to end/);
  serve.child.kill('SIGINT');
  await serve.waitForOutput(/can crash or wedge Asterisk/);
  await stillDrainingThenHangup(pbx, serve, name);
});

test('sim --stats prints the demo PBX counters from its /sim/stats route', async (t) => {
  const pbx = await startPbx(t);
  const run = runCli(t, ['sim', '--stats', pbx.url]);
  assert.equal(await run.exit, 0);
  const stats = JSON.parse(run.stdout()) as Record<string, number>;
  assert.equal(stats['clientFirstCloses'], 0);
  assert.equal(typeof stats['errorLog'], 'number');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import { runCli } from '../helpers/cli.ts';
import { channelName, delay, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const GUARD = new URL('../../main/core/app/crash-guard.ts', import.meta.url).pathname;

test('the crash guard logs an uncaught exception and an unhandled rejection with their stacks, tells the host, and the process lives on', async () => {
  const script = `
    const { installCrashGuard } = await import(${JSON.stringify(GUARD)});
    const told = [];
    installCrashGuard({ log: (t) => process.stderr.write(t + '\\n'), onFault: (f) => told.push(f.kind + ': ' + f.message) });
    setImmediate(() => { throw new Error('boom in a timer'); });
    void Promise.reject(new Error('boom in a promise'));
    setTimeout(() => { process.stdout.write(JSON.stringify(told)); }, 200);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 0, err);
  const told = JSON.parse(out) as string[];
  assert.equal(told.length, 2, out);
  assert.ok(told.some((m) => /^uncaught-exception: .*boom in a timer.*keeps running/.test(m)), out);
  assert.ok(told.some((m) => /^unhandled-rejection: .*boom in a promise/.test(m)), out);
  assert.match(err, /uncaught-exception: Error: boom in a timer\n\s+at /);
  assert.match(err, /unhandled-rejection: Error: boom in a promise\n\s+at /);
});

test('serve with a tap open survives injected faults: no client-first close, the tap keeps streaming, the browser is told', async (t) => {
  const pbx = await startPbx(t);
  process.env['ASTERISK_TAP_FAULT_INJECTION'] = '1';
  const serve = runCli(t, ['serve', '--port', '0', '--config-dir', await tempDir(t), '--recordings-dir', await tempDir(t)]);
  delete process.env['ASTERISK_TAP_FAULT_INJECTION'];
  await serve.waitForOutput(/serving on (\S+)/);
  const url = new URL(/serving on (\S+)/.exec(serve.stdout())![1]!);
  const token = url.searchParams.get('token')!;
  const cookie = `tap_token_${url.port}=${token}`;
  const ws = new WebSocket(`ws://${url.host}/bridge`, { headers: { Origin: url.origin, Cookie: cookie } });
  const replies = new Map<number, { ok: boolean; res?: { id: string } }>();
  const logs: string[] = [];
  let pcm = 0;
  ws.on('message', (d: Buffer, bin: boolean) => {
    if (bin) {
      pcm += d.length;
      return;
    }
    const m = JSON.parse(String(d)) as { id?: number; event?: string; payload?: { message?: string } };
    if (m.id !== undefined) replies.set(m.id, m as never);
    if (m.event === 'log:entry') logs.push(m.payload?.message ?? '');
  });
  ws.on('error', () => undefined);
  // Audio comes on the page's data-plane socket.
  const pcmWs = new WebSocket(`ws://${url.host}/pcm`, { headers: { Origin: url.origin, Cookie: cookie } });
  pcmWs.on('message', (d: Buffer, bin: boolean) => {
    if (bin) pcm += d.length;
  });
  pcmWs.on('error', () => undefined);
  await Promise.all([new Promise((r) => ws.on('open', r)), new Promise((r) => pcmWs.on('open', r))]);
  const call = async (id: number, channel: string, req?: unknown) => {
    ws.send(JSON.stringify({ id, channel, req }));
    await waitFor(() => replies.has(id), `reply ${id}`, 20_000);
    return replies.get(id)!;
  };
  const ep = (await call(1, 'endpoints:save', { name: 'Lab', wsUrl: pbx.wsUrl, headers: {}, allowSelfSigned: false })).res!;
  const name = channelName(pbx, 'Local/milliwatt@');
  await call(2, 'tap:open', { endpointId: ep.id, channels: [name] });
  await waitFor(() => pbx.listenerCount(pbx.findChannel(name)!.json.id) === 1 && pcm > 0, 'the tap streams', 20_000);
  for (const kind of ['uncaught', 'rejection']) {
    const res = await fetch(`${url.origin}/debug/fault?kind=${kind}`, { headers: { cookie } });
    assert.equal(res.status, 202);
  }
  await waitFor(() => logs.filter((l) => /keeps running/.test(l)).length === 2, 'both faults told to the browser', 20_000);
  const before = pcm;
  assert.equal((await call(3, 'app:info')).ok, true);
  await waitFor(() => pcm > before, 'audio still arrives', 20_000);
  assert.equal(serve.child.exitCode, null, serve.stderr());
  assert.match(serve.stderr(), /uncaught-exception: Error: injected uncaught exception[^\n]*\n\s+at /);
  assert.match(serve.stderr(), /unhandled-rejection: Error: injected unhandled rejection/);
  assert.equal(pbx.counters.clientFirstCloses, 0);
  pbx.hangup(name);
  await waitFor(() => pbx.listenerCount(pbx.findChannel(name)?.json.id ?? '') === 0, 'the call ended', 20_000);
  ws.close();
  pcmWs.close();
  serve.child.kill('SIGINT');
  assert.equal(await serve.exit, 0, serve.stderr());
  await delay(50);
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

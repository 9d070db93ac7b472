import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { buildWavHeader } from '../../main/core/audio/wav-format.ts';
import { CLI } from '../helpers/cli.ts';
import { channelName, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const PRLIMIT = '/usr/bin/prlimit';

test('serve under a low open-files limit: running out of file descriptors answers errors, never ends the process (tap open, no client-first close)', { skip: !existsSync(PRLIMIT) && 'needs prlimit (util-linux)' }, async (t) => {
  const pbx = await startPbx(t);
  const rec = await tempDir(t);
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, 16_000 * 2 * 1200, { channel: 'PJSIP/a-1' });
  await writeFile(join(rec, 'long.wav'), header);
  await truncate(join(rec, 'long.wav'), header.length + 16_000 * 2 * 1200);
  const child = spawn(PRLIMIT, ['--nofile=96', process.execPath, CLI, 'serve', '--port', '0', '--config-dir', await tempDir(t), '--recordings-dir', rec], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitFor(() => /serving on (\S+)/.test(out), 'serve starts', 30_000);
  const url = new URL(/serving on (\S+)/.exec(out)![1]!);
  const cookie = `tap_token_${url.port}=${url.searchParams.get('token')!}`;
  const ws = new WebSocket(`ws://${url.host}/bridge`, { headers: { Origin: url.origin, Cookie: cookie } });
  const replies = new Map<number, { res?: { id: string } }>();
  ws.on('message', (d: Buffer, bin: boolean) => {
    if (bin) return;
    const m = JSON.parse(String(d)) as { id?: number };
    if (m.id !== undefined) replies.set(m.id, m as never);
  });
  ws.on('error', () => undefined);
  await new Promise((r) => ws.on('open', r));
  const call = async (id: number, channel: string, req?: unknown) => {
    ws.send(JSON.stringify({ id, channel, req }));
    await waitFor(() => replies.has(id), `reply ${id}`, 20_000);
    return replies.get(id)!.res!;
  };
  const ep = await call(1, 'endpoints:save', { name: 'Lab', wsUrl: pbx.wsUrl, headers: {}, allowSelfSigned: false });
  const name = channelName(pbx, 'Local/milliwatt@');
  await call(2, 'tap:open', { endpointId: ep.id, channels: [name] });
  await waitFor(() => pbx.listenerCount(pbx.findChannel(name)!.json.id) === 1, 'the tap is connected', 20_000);

  // 150 range requests whose bodies nobody reads: each holds a socket and a file open.
  const statuses: (number | string)[] = [];
  const requests: ClientRequest[] = [];
  for (let i = 0; i < 150; i++) {
    const req = request(`${url.origin}/recordings/long.wav`, { headers: { cookie, range: `bytes=${i}-` }, agent: false }, (res) => {
      statuses.push(res.statusCode ?? 0);
      if (res.statusCode !== 206) res.resume();
    });
    req.on('error', (e) => statuses.push((e as { code?: string }).code ?? 'error'));
    req.end();
    requests.push(req);
  }
  await waitFor(() => statuses.length === 150 || child.exitCode !== null, 'every request answered or refused', 60_000);
  assert.equal(child.exitCode, null, `serve ended: ${err}`);
  assert.ok(statuses.some((s) => s !== 206), `the limit was reached: ${[...new Set(statuses)].join(', ')}`);
  for (const r of requests) r.destroy();
  // The host recovers once the files are closed, and the tap was never touched.
  let id = 10;
  for (;;) {
    ws.send(JSON.stringify({ id, channel: 'app:info' }));
    try {
      await waitFor(() => replies.has(id), 'app:info', 2_000);
      break;
    } catch {
      id++;
      assert.ok(id < 40, 'the host answers again');
    }
  }
  assert.equal(child.exitCode, null, err);
  assert.equal(pbx.counters.clientFirstCloses, 0, err);
  pbx.hangup(name);
  ws.close();
  child.kill('SIGINT');
  assert.equal(await exit, 0, err);
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

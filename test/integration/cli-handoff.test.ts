import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { ClientFrameParser, OPCODE, closeFrame, encodeFrame, switchingProtocols } from '../../main/sim/ws-server-frames.ts';
import { channelName, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** Issue 11 §2: a command returns while its stream-channel socket is drained by a background process. */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The drainer's pid from the command's words; killed (SIGKILL) if a test leaves it behind. */
function drainerPid(t: TestContext, run: CliRun): number {
  const pid = Number(/background process \(pid (\d+)\)/.exec(run.stderr())?.[1]);
  assert.ok(pid > 0, run.stderr());
  t.after(() => {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
  return pid;
}

test('probe returns with its result while a background process drains the socket until the call ends', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@');
  const run = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', name, '--seconds', '0.5', '--json']);
  assert.equal(await run.exit, 0, run.stderr());
  assert.equal((JSON.parse(run.stdout()) as { verdict: string }).verdict, 'streaming');
  const pid = drainerPid(t, run);
  const id = pbx.findChannel(name)!.json.id;
  const sent = pbx.counters.framesSent;
  await waitFor(() => pbx.counters.framesSent > sent + 10, 'the PBX keeps streaming to the drainer');
  assert.equal(pbx.listenerCount(id), 1, 'the connection is still up');
  assert.equal(pbx.counters.clientFirstCloses, 0);
  assert.ok(alive(pid));
  pbx.hangup(name);
  await waitFor(() => !alive(pid), 'the drainer exits after the server closed', 10_000);
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('record --detach: the files are saved, the command returns, the drain goes on in the background', async (t) => {
  const pbx = await startPbx(t);
  const dir = await tempDir(t);
  const a = channelName(pbx, 'PJSIP/dave-');
  const b = channelName(pbx, 'Local/milliwatt@', ';1');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', a, '--channel', b, '--out-dir', dir, '--seconds', '1', '--detach']);
  assert.equal(await run.exit, 0, run.stderr());
  const pid = drainerPid(t, run);
  assert.match(run.stderr(), /2 sockets were handed/);
  assert.equal(pbx.listenerCount(pbx.findChannel(a)!.json.id) + pbx.listenerCount(pbx.findChannel(b)!.json.id), 2);
  for (const c of [a, b]) assert.equal((await readWav(join(dir, `${c.replace(/[^A-Za-z0-9@._-]+/g, '_')}.wav`))).durationMs, 1000);
  pbx.hangup(a);
  pbx.hangup(b);
  await waitFor(() => !alive(pid), 'the drainer exits', 10_000);
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('hand-off mid-frame: the drainer continues the framing exactly (answers a ping, echoes the close, never closes first)', async (t) => {
  const seen = { closeFrames: 0, pongs: 0, ended: false };
  let server: Socket | undefined;
  let feeding: NodeJS.Timeout | undefined;
  let fed = false;
  const srv = createServer((socket) => {
    server = socket;
    let head = '';
    let up = false;
    const parser = new ClientFrameParser();
    socket.on('error', () => undefined);
    socket.on('end', () => (seen.ended = true));
    socket.on('data', (chunk: Buffer) => {
      if (!up) {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        up = true;
        socket.write(switchingProtocols(/sec-websocket-key: *(\S+)/i.exec(head)![1]!, 'stream-channel'));
        // Audio in pieces that cut frames at odd places, so the hand-off lands inside a frame.
        const stream = Buffer.concat(Array.from({ length: 50 }, () => encodeFrame(OPCODE.binary, Buffer.alloc(640, 5))));
        let at = 0;
        feeding = setInterval(() => {
          if (at >= stream.length) {
            fed = true;
            return clearInterval(feeding);
          }
          socket.write(stream.subarray(at, at + 333));
          at += 333;
        }, 10);
        return;
      }
      const frames = parser.push(chunk);
      if (frames === 'too-large') return;
      for (const f of frames) {
        if (f.opcode === OPCODE.close) seen.closeFrames++;
        if (f.opcode === OPCODE.pong) seen.pongs++;
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => {
    clearInterval(feeding);
    server?.destroy();
    srv.close();
  });
  const url = `ws://127.0.0.1:${(srv.address() as { port: number }).port}/ws`;
  const run = runCli(t, ['probe', '--url', url, '--channel', 'PJSIP/x-00000001', '--seconds', '0.15']);
  assert.equal(await run.exit, 0, run.stderr());
  const pid = drainerPid(t, run);
  await waitFor(() => fed, 'the rest of the audio went out (after the hand-off)', 10_000);
  server!.write(encodeFrame(OPCODE.ping, Buffer.from('still there?')));
  await waitFor(() => seen.pongs === 1, 'the drainer answered the ping in step with the framing');
  assert.equal(seen.closeFrames, 0);
  assert.equal(seen.ended, false);
  server!.write(closeFrame(1000));
  await waitFor(() => seen.closeFrames === 1 && seen.ended, 'the drainer echoed the close and ended');
  await waitFor(() => !alive(pid), 'the drainer exits', 10_000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { StreamChannelClient } from '../../main/core/tap/stream-channel-client.ts';
import { ClientFrameParser, OPCODE, closeFrame, encodeFrame, switchingProtocols } from '../../main/sim/ws-server-frames.ts';
import { waitFor } from '../helpers/demo-pbx.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { join } from 'node:path';

/**
 * A hostile server: completes the stream-channel handshake, then breaks the protocol. `ws` would
 * answer each of these with a close frame (1009 or 1002) and drop TCP: on res_ari_stream that is
 * a client-first close. The client must keep the connection, drain and never send a close.
 */
async function hostileServer(t: { after: (fn: () => unknown) => void }, attack: (socket: Socket) => void) {
  const seen = { closeFrames: 0, pongs: 0, clientEnded: false, socket: undefined as Socket | undefined };
  const server = createServer((socket) => {
    seen.socket = socket;
    let head = '';
    const parser = new ClientFrameParser();
    let upgraded = false;
    socket.on('error', () => undefined);
    socket.on('end', () => (seen.clientEnded = true));
    socket.on('data', (chunk: Buffer) => {
      if (!upgraded) {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        upgraded = true;
        const key = /sec-websocket-key: *(\S+)/i.exec(head)![1]!;
        socket.write(switchingProtocols(key, 'stream-channel'));
        attack(socket);
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
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    seen.socket?.destroy();
    server.close();
  });
  return { url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`, seen };
}

const audio = (): Buffer => encodeFrame(OPCODE.binary, Buffer.alloc(640, 3));

function header(b0: number, len: number, mask?: Buffer): Buffer {
  if (len < 126) return Buffer.from([b0, (mask ? 0x80 : 0) | len, ...(mask ?? [])]);
  const h = Buffer.alloc(10);
  h[0] = b0;
  h[1] = (mask ? 0x80 : 0) | 127;
  h.writeBigUInt64BE(BigInt(len), 2);
  return mask ? Buffer.concat([h, mask]) : h;
}

const ATTACKS: { name: string; send: (s: Socket) => void; inSync: boolean }[] = [
  // 2 MiB in one frame, over the client's 64 KiB maxPayload (ws: close 1009), sent in pieces.
  { name: 'a frame over maxPayload', inSync: true, send: (s) => {
    s.write(audio());
    s.write(header(0x82, 2 * 1024 * 1024));
    for (let i = 0; i < 32; i++) s.write(Buffer.alloc(64 * 1024, 7));
  } },
  { name: 'RSV1 set without an extension', inSync: true, send: (s) => s.write(Buffer.concat([audio(), Buffer.from([0xc2, 4, 1, 2, 3, 4])])) },
  { name: 'a masked server frame', inSync: true, send: (s) => s.write(Buffer.concat([header(0x82, 4, Buffer.from([1, 2, 3, 4])), Buffer.from([5, 6, 7, 8])])) },
  { name: 'an unknown opcode', inSync: true, send: (s) => s.write(Buffer.concat([Buffer.from([0x83, 2, 0, 0]), audio()])) },
  { name: 'a fragmented ping', inSync: true, send: (s) => s.write(Buffer.from([0x09, 0])) },
  { name: 'a continuation with no message', inSync: true, send: (s) => s.write(Buffer.from([0x80, 2, 0, 0])) },
  { name: 'a length no server can mean', inSync: false, send: (s) => s.write(Buffer.from([0x82, 127, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 9, 9])) },
];

for (const attack of ATTACKS) {
  test(`hostile server, ${attack.name}: reported as protocol, the client never sends a close and keeps reading`, async (t) => {
    const { url, seen } = await hostileServer(t, attack.send);
    const client = new StreamChannelClient({ url, channel: 'PJSIP/x-00000001' }).connect();
    const outcome = await client.outcome;
    assert.equal(outcome.reason, 'protocol', outcome.message);
    if (attack.inSync) {
      // Still reading, in step with the framing: audio is drained and a ping is answered.
      const drained = client.stats.drained;
      seen.socket!.write(Buffer.concat([audio(), audio(), encodeFrame(OPCODE.ping, Buffer.from('hi'))]));
      await waitFor(() => seen.pongs === 1 && client.stats.drained >= drained + 2, 'the client answered a ping after the attack');
    } else {
      seen.socket!.write(Buffer.alloc(256 * 1024));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(seen.closeFrames, 0, 'the client sent a close frame');
    assert.equal(seen.clientEnded, false, 'the client ended TCP');
    assert.equal(client.isSocketOpen, true);
    // The server ends it: the client answers and is done.
    seen.socket!.end(closeFrame(1000));
    await client.socketClosed;
  });
}

test('hostile server: a forced close is the only way the client closes first', async (t) => {
  const { url, seen } = await hostileServer(t, (s) => s.write(audio()));
  const client = new StreamChannelClient({ url, channel: 'x' }).connect();
  await waitFor(() => client.stats.frames === 1, 'a frame');
  client.forceClose();
  await client.socketClosed;
  await waitFor(() => seen.closeFrames === 1, 'the forced close frame');
});

test('hostile server, the real CLI: record meets an oversize and an RSV frame, reports them, and never closes first', async (t) => {
  const { url, seen } = await hostileServer(t, (s) => {
    s.write(audio());
    s.write(header(0x82, 1024 * 1024));
    s.write(Buffer.alloc(1024 * 1024, 1));
    s.write(Buffer.from([0xc2, 2, 0, 0]));
  });
  const run = runCli(t, ['record', '--url', url, '--channel', 'PJSIP/x-00000001', '--out', join(await tempDir(t), 'h.wav')]);
  await run.waitForOutput(/waiting for the call to end/);
  assert.match(run.stderr(), /over the 65536-byte limit/);
  seen.socket!.write(Buffer.concat([audio(), encodeFrame(OPCODE.ping, Buffer.from('x'))]));
  await waitFor(() => seen.pongs === 1, 'the CLI still reads in step');
  assert.equal(seen.closeFrames, 0, 'the CLI sent a close frame');
  assert.equal(seen.clientEnded, false);
  assert.equal(run.child.exitCode, null);
  seen.socket!.end(closeFrame(1000));
  assert.equal(await run.exit, 3, run.stderr());
});

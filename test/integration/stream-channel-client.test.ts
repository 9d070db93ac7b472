import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { StreamChannelClient, type StreamChannelOptions, type TapState } from '../../main/core/tap/stream-channel-client.ts';
import { channelName, delay, startPbx, waitFor } from '../helpers/demo-pbx.ts';

const TLS = {
  key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url)),
  cert: readFileSync(new URL('../fixtures/tls/cert.pem', import.meta.url)),
};

function open(options: StreamChannelOptions): { client: StreamChannelClient; states: TapState[] } {
  const client = new StreamChannelClient(options);
  const states: TapState[] = [];
  client.events.on('state', (s) => states.push(s));
  client.connect();
  return { client, states };
}

test('by channel name: open → streaming 640-byte frames → call-ended with 1000 at hangup', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@');
  const { client, states } = open({ url: pbx.wsUrl, channel: name });
  let bytes = 0;
  client.events.on('pcm', (c) => {
    assert.equal(c.data.length % 2, 0);
    assert.ok(c.wallClockMs > 1.7e12 && c.monotonicMs > 0);
    bytes += c.data.length;
  });
  await waitFor(() => client.stats.frames >= 10, '10 frames');
  assert.equal(client.protocol, 'stream-channel');
  pbx.hangup(name);
  const outcome = await client.outcome;
  assert.deepEqual(states, ['open', 'streaming', 'ended']);
  assert.equal(outcome.reason, 'call-ended');
  assert.equal(outcome.closeCode, 1000);
  assert.deepEqual(Object.keys(outcome.stats.sizes), ['640']);
  assert.equal(bytes, outcome.stats.bytes);
  await client.socketClosed;
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('by uniqueid works the same', async (t) => {
  const pbx = await startPbx(t);
  const ch = pbx.channelByPrefix('PJSIP/dave-')!;
  const { client } = open({ url: pbx.wsUrl, channel: ch.json.id });
  await waitFor(() => client.state === 'streaming', 'streaming');
  pbx.hangup(ch.json.id);
  assert.equal((await client.outcome).reason, 'call-ended');
});

test('unknown channel: accepted, zero frames, closed at once → channel-not-found', async (t) => {
  const pbx = await startPbx(t);
  for (const channel of ['PJSIP/nobody-00000000', 'Local/milliwatt@demo-00000001', pbx.channelByPrefix('Local/milliwatt@')!.json.name.toLowerCase()]) {
    const { client, states } = open({ url: pbx.wsUrl, channel });
    const outcome = await client.outcome;
    assert.equal(outcome.reason, 'channel-not-found', channel);
    assert.equal(outcome.state, 'ended');
    assert.equal(outcome.stats.frames, 0);
    assert.deepEqual(states, ['open', 'ended']);
    assert.match(outcome.message, /does not exist/);
  }
});

test('silent channel: open, then silent, no close until hangup, then call-ended', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@demo-00000001;2');
  const { client, states } = open({ url: pbx.wsUrl, channel: name, silentAfterMs: 100 });
  await waitFor(() => client.state === 'silent', 'silent');
  await delay(300);
  assert.equal(client.state, 'silent');
  pbx.hangup(name);
  const outcome = await client.outcome;
  assert.equal(outcome.reason, 'call-ended');
  assert.equal(outcome.stats.frames, 0);
  assert.deepEqual(states, ['open', 'silent', 'ended']);
});

test('stop() never closes while the call is up: it drains until Asterisk closes', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'Local/milliwatt@');
  const { client } = open({ url: pbx.wsUrl, channel: name });
  await waitFor(() => client.stats.frames >= 3, 'frames');
  let delivered = 0;
  client.events.on('pcm', () => delivered++);
  client.stop();
  client.dispose();
  // Wait for frames to arrive after the stop rather than 200 ms: a loaded machine may read none in that time.
  await waitFor(() => client.stats.drained >= 5, 'five frames drained after the stop', 20_000);
  assert.equal(delivered, 0, 'no audio delivered after stop');
  assert.equal(client.isSocketOpen, true);
  assert.equal(pbx.listenerCount(pbx.findChannel(name)!.json.id), 1, 'the PBX still has the listener');
  pbx.hangup(name);
  await client.socketClosed;
  assert.equal((await client.outcome).reason, 'call-ended');
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('forceClose() closes from this side (closed-by-user) and the PBX counts it', async (t) => {
  const pbx = await startPbx(t);
  const { client } = open({ url: pbx.wsUrl, channel: channelName(pbx, 'PJSIP/alice-') });
  await waitFor(() => client.state === 'streaming' || client.state === 'silent', 'open');
  client.forceClose();
  const outcome = await client.outcome;
  assert.equal(outcome.reason, 'closed-by-user');
  await client.socketClosed;
  await waitFor(() => pbx.counters.clientFirstCloses === 1, 'PBX counted the client-first close');
});

test('two clients on one channel get byte-identical audio', async (t) => {
  const pbx = await startPbx(t);
  const name = channelName(pbx, 'PJSIP/dave-');
  const got: Buffer[][] = [[], []];
  const clients = [0, 1].map((i) => {
    const c = new StreamChannelClient({ url: pbx.wsUrl, channel: name });
    c.events.on('pcm', (chunk) => got[i]!.push(chunk.data));
    return c.connect();
  });
  await waitFor(() => got[0]!.length >= 20 && got[1]!.length >= 20, 'frames on both');
  pbx.hangup(name);
  await Promise.all(clients.map((c) => c.socketClosed));
  const n = Math.min(got[0]!.length, got[1]!.length) - 1;
  // The second client may have joined a frame later: align on the last frame's content.
  const a = Buffer.concat(got[0]!.slice(-n));
  const b = Buffer.concat(got[1]!.slice(-n));
  assert.ok(a.equals(b));
});

test('HTTP refusals: 400 without the module, 404 on a wrong path', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'no-module' }] });
  const r400 = await open({ url: pbx.wsUrl, channel: 'x' }).client.outcome;
  assert.equal(r400.reason, 'http-400');
  assert.match(r400.message, /res_ari_stream/);
  const r404 = await open({ url: pbx.wsUrl.replace('/ws', '/asterisk/ws'), channel: 'x' }).client.outcome;
  assert.equal(r404.reason, 'http-404');
});

test('invalid-url, refused and dns fail with their codes, without throwing', async () => {
  assert.equal((await open({ url: 'pbx:8088', channel: 'x' }).client.outcome).reason, 'invalid-url');
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  assert.equal((await open({ url: `ws://127.0.0.1:${port}/ws`, channel: 'x' }).client.outcome).reason, 'refused');
  assert.equal((await open({ url: 'ws://no-such-host.invalid:8088/ws', channel: 'x' }).client.outcome).reason, 'dns');
});

test('a server that never answers the upgrade → timeout', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'stall-handshake' }] });
  const outcome = await open({ url: pbx.wsUrl, channel: 'x', handshakeTimeoutMs: 300 }).client.outcome;
  assert.equal(outcome.reason, 'timeout');
  assert.equal(outcome.state, 'failed');
});

test('wss: a self-signed certificate is refused (tls) unless the endpoint allows it', async (t) => {
  const pbx = await startPbx(t, { tls: TLS });
  const name = channelName(pbx, 'Local/milliwatt@');
  const refused = await open({ url: pbx.wsUrl, channel: name }).client.outcome;
  assert.equal(refused.reason, 'tls');
  const { client } = open({ url: pbx.wsUrl, channel: name, allowSelfSigned: true });
  await waitFor(() => client.state === 'streaming', 'streaming over wss');
  assert.match(client.tlsNote ?? '', /not verified/);
  const trusted = open({ url: pbx.wsUrl, channel: name, ca: [TLS.cert.toString()] }).client;
  await waitFor(() => trusted.state === 'streaming', 'streaming with the CA trusted');
  assert.equal(trusted.tlsNote, undefined);
  pbx.hangup(name);
  assert.equal((await client.outcome).reason, 'call-ended');
});

test('a text frame is a protocol failure, and the socket is still drained, not closed', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'text', afterMs: 100 }] });
  const name = channelName(pbx, 'Local/milliwatt@');
  const { client } = open({ url: pbx.wsUrl, channel: name });
  const outcome = await client.outcome;
  assert.equal(outcome.reason, 'protocol');
  assert.match(outcome.message, /text frame/);
  assert.equal(client.isSocketOpen, true);
  pbx.hangup(name);
  await client.socketClosed;
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('an oversized frame is a protocol failure', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'oversize', afterMs: 60 }] });
  const outcome = await open({ url: pbx.wsUrl, channel: channelName(pbx, 'Local/milliwatt@') }).client.outcome;
  assert.equal(outcome.reason, 'protocol');
  assert.match(outcome.message, /payload/i);
});

test('a dropped TCP connection is connection-lost', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'drop', afterMs: 100 }] });
  const outcome = await open({ url: pbx.wsUrl, channel: channelName(pbx, 'Local/milliwatt@') }).client.outcome;
  assert.equal(outcome.reason, 'connection-lost');
  assert.ok(outcome.stats.frames > 0);
});

test('a stream that stalls mid-call goes back to silent, and the call still ends cleanly', async (t) => {
  const pbx = await startPbx(t, { faults: [{ kind: 'stall', afterMs: 200 }] });
  const name = channelName(pbx, 'Local/milliwatt@');
  const { client, states } = open({ url: pbx.wsUrl, channel: name, stallAfterMs: 150 });
  await waitFor(() => client.state === 'silent', 'silent after the stall');
  const frames = client.stats.frames;
  assert.ok(frames >= 5 && frames <= 15, `frames before the stall: ${frames}`);
  pbx.hangup(name);
  const outcome = await client.outcome;
  assert.deepEqual(states, ['open', 'streaming', 'silent', 'ended']);
  assert.equal(outcome.reason, 'call-ended');
  assert.equal(outcome.stats.frames, frames, 'nothing after the stall');
});

test('odd-sized frames are reassembled into exactly the original samples', async (t) => {
  const plain = await startPbx(t, { scenarios: ['milliwatt'] });
  const odd = await startPbx(t, { scenarios: ['milliwatt'], faults: [{ kind: 'odd-frames' }] });
  const collect = async (pbx: typeof plain): Promise<Buffer> => {
    const name = channelName(pbx, 'Local/milliwatt@');
    const c = new StreamChannelClient({ url: pbx.wsUrl, channel: name });
    const parts: Buffer[] = [];
    c.events.on('pcm', (chunk) => parts.push(chunk.data));
    c.connect();
    await waitFor(() => Buffer.concat(parts).length >= 6400, 'audio');
    pbx.hangup(name);
    await c.socketClosed;
    return Buffer.concat(parts);
  };
  const [a, b] = await Promise.all([collect(plain), collect(odd)]);
  assert.ok(b.length % 2 === 0);
  // The tone has a 1004 Hz period that does not line up with frames: compare one whole second-aligned window.
  const sampleAt = (buf: Buffer, i: number): number => buf.readInt16LE(i * 2);
  const peak = (buf: Buffer): number => Math.max(...Array.from({ length: buf.length / 2 }, (_, i) => Math.abs(sampleAt(buf, i))));
  assert.equal(peak(b), peak(a), 'no corrupted samples (a split sample would read as a wild value)');
});

test('a flood is taken without unbounded memory and every frame is counted', async (t) => {
  const pbx = await startPbx(t, { scenarios: ['milliwatt'], faults: [{ kind: 'flood', count: 20_000 }] });
  const name = channelName(pbx, 'Local/milliwatt@');
  const { client } = open({ url: pbx.wsUrl, channel: name });
  await waitFor(() => client.stats.frames >= 20_000, 'flood received', 20_000);
  assert.ok(process.memoryUsage().rss < 1024 * 1024 * 1024);
  pbx.hangup(name);
  const outcome = await client.outcome;
  assert.ok(outcome.stats.frames >= 20_000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AriClient } from '../../main/core/ari/ari-client.ts';
import { AriMediaClient, parseDtmfEnd, parseMediaStart } from '../../main/core/tap/ari-media-client.ts';
import { processAriInstance, removeLeftovers } from '../../main/core/ari/ari-app-instance.ts';
import type { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';

const open = (pbx: DemoPbx, channel: string, direction: 'in' | 'out' = 'in', password = 'demo') =>
  new AriMediaClient({ ariUrl: pbx.ariUrl, user: 'demo', password, channel, direction }).connect();
const ari = (pbx: DemoPbx) => new AriClient({ url: pbx.ariUrl, user: 'demo', password: 'demo' });

test('MEDIA_START and DTMF_END parse in both forms', () => {
  assert.deepEqual(parseMediaStart('MEDIA_START connection_id:abc channel:WebSocket/INCOMING/0x1 channel_id:1.2 format:slin16 optimal_frame_size:640 ptime:20'), {
    connection_id: 'abc', channel: 'WebSocket/INCOMING/0x1', channel_id: '1.2', format: 'slin16', optimal_frame_size: '640', ptime: '20',
  });
  assert.equal(parseMediaStart('{"event":"MEDIA_START","format":"slin16","optimal_frame_size":640,"channel_variables":{}}')?.['optimal_frame_size'], '640');
  assert.equal(parseMediaStart('STATUS queue_length:0'), undefined);
  assert.equal(parseDtmfEnd('DTMF_END digit:5 duration_ms:120'), '5');
  assert.equal(parseDtmfEnd('{"event":"DTMF_END","digit":"#"}'), '#');
  assert.equal(parseDtmfEnd('{"event":"MEDIA_XOFF"}'), undefined);
});

test('taps a channel by name (what it reads: 1004 Hz); stop deletes everything it created', async (t) => {
  const pbx = await startPbx(t);
  const name = pbx.channelByPrefix('Local/milliwatt@')!.json.name;
  const client = open(pbx, name);
  const pcm: Buffer[] = [];
  client.events.on('pcm', (c) => pcm.push(c.data));
  await waitFor(() => pcm.length >= 50, '1 s of audio');
  assert.equal(client.state, 'streaming');
  assert.match(client.protocol ?? '', /slin16/);
  assert.ok(Math.abs(dominantFrequency(Buffer.concat(pcm), 16000) - 1004) <= 5);
  const made = (await ari(pbx).channels()).filter((c) => c.id.startsWith(`${processAriInstance().appName}-`));
  assert.equal(made.length, 2, 'an external media channel and a snoop');
  client.stop();
  assert.equal((await client.outcome).reason, 'closed-by-user');
  await client.socketClosed;
  await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, 'everything deleted');
  assert.equal(pbx.counters.clientFirstCloses, 0);
});

test('the tapped call hanging up is seen on the events socket: call-ended, then clean-up', async (t) => {
  const pbx = await startPbx(t, { respawnMs: -1 });
  const target = pbx.channelByPrefix('PJSIP/dave-')!.json.id;
  const client = open(pbx, target, 'out');
  await waitFor(() => client.state === 'streaming', 'streaming');
  pbx.hangup(target);
  const outcome = await client.outcome;
  assert.equal(outcome.reason, 'call-ended');
  await client.socketClosed;
  await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, 'clean-up after hangup');
});

test('clear failures: wrong password, unknown channel, and the media window missed', async (t) => {
  const pbx = await startPbx(t);
  assert.equal((await open(pbx, pbx.channelByPrefix('PJSIP/alice-')!.json.id, 'in', 'wrong').outcome).reason, 'unauthorized');
  assert.equal((await open(pbx, 'PJSIP/ghost-00000001').outcome).reason, 'channel-not-found');
  assert.equal((await open(pbx, '1.999').outcome).reason, 'channel-not-found');
  const late = await startPbx(t, { mediaWindowMs: 0 });
  const outcome = await open(late, late.channelByPrefix('PJSIP/alice-')!.json.id).outcome;
  assert.equal(outcome.reason, 'media-window');
  assert.match(outcome.message, /30 s/);
});

test('leftovers of an earlier run are removed at start; this run\'s objects are kept', async (t) => {
  const pbx = await startPbx(t);
  const a = ari(pbx);
  const target = pbx.channelByPrefix('PJSIP/bob-')!.json.id;
  await a.post('/channels/externalMedia', { app: 'asterisk-tap', transport: 'websocket', encapsulation: 'none', connection_type: 'server', format: 'slin16', channelId: 'asterisk-tap-deadbeef-0-ext' });
  await a.post(`/channels/${target}/snoop`, { spy: 'in', app: 'asterisk-tap', snoopId: 'asterisk-tap-deadbeef-0-snoop-in' });
  await a.post('/bridges', { type: 'mixing', name: 'asterisk-tap-deadbeef-0-bridge', bridgeId: 'asterisk-tap-deadbeef-0-bridge' });
  const mine = open(pbx, target);
  await waitFor(() => mine.state === 'streaming', 'our tap streams');
  assert.equal(await removeLeftovers(a, processAriInstance()), 3, 'objects of an instance whose app is not registered are leftovers');
  assert.equal(mine.state, 'streaming');
  assert.ok(pbx.media.channels().length === 2 && pbx.media.channels().every((c) => c.id.startsWith(`${processAriInstance().appName}-`)), 'only this run\'s objects remain');
  mine.stop();
  await mine.socketClosed;
});

test('stop() while the tap is still being set up leaves nothing behind', async (t) => {
  const pbx = await startPbx(t);
  // Stop at different points of the set-up sequence (lookup, events, externalMedia, media, snoop, bridge).
  for (const ms of [0, 1, 2, 4, 8, 16, 32]) {
    const client = open(pbx, pbx.channelByPrefix('PJSIP/alice-')!.json.id);
    await new Promise((r) => setTimeout(r, ms));
    client.stop();
    assert.equal((await client.outcome).reason, 'closed-by-user');
    await client.socketClosed;
    await waitFor(() => pbx.media.channels().length === 0 && pbx.media.stasisBridges().length === 0, `nothing left on the PBX (stopped after ${ms} ms)`, 5000);
  }
});

test('DTMF on the tapped channel arrives as DTMF_END and is reported as digits', async (t) => {
  const pbx = await startPbx(t);
  const client = open(pbx, pbx.channelByPrefix('PJSIP/carol-')!.json.name);
  const digits: string[] = [];
  client.events.on('dtmf', (d) => digits.push(d));
  await waitFor(() => digits.length >= 5, 'five digits', 15_000);
  // The tap may join mid-sequence; whatever it saw is a run of the dialled digits in order.
  const dialled = '1234#1234#1234#';
  assert.ok(dialled.includes(digits.slice(0, 5).join('')), digits.join(''));
  client.stop();
  await client.socketClosed;
});

test('an Asterisk without chan_websocket: ari-media fails as unsupported, auto falls back to stream-channel', async (t) => {
  const pbx = await startPbx(t, { chanWebsocket: false });
  const target = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  const outcome = await open(pbx, target).outcome;
  assert.equal(outcome.reason, 'unsupported');
  assert.match(outcome.message, /20\.16/);
  await waitFor(() => pbx.media.channels().length === 0, 'nothing left behind');
  const { resolveTransport } = await import('../../main/core/tap/create-transport.ts');
  assert.equal(await resolveTransport({ choice: 'auto', channel: target, stream: { url: pbx.wsUrl }, ari: { url: pbx.ariUrl, user: 'demo', password: 'demo' } }), 'stream-channel');
  const fresh = await startPbx(t);
  assert.equal(await resolveTransport({ choice: 'auto', channel: target, stream: { url: fresh.wsUrl }, ari: { url: fresh.ariUrl, user: 'demo', password: 'demo' } }), 'ari-media');
});

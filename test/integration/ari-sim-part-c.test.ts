/**
 * The demo PBX against part C of the conformance facts (a real Asterisk 23.4.1 with `systemname`
 * set, several Stasis app instances, Local channels, the modules route and res_ari_stream's ERROR
 * log line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { StreamChannelClient } from '../../main/core/tap/stream-channel-client.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/conformance/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const AUTH = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };

async function ari(pbx: DemoPbx, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${pbx.ariUrl}${path}`, { method, headers: AUTH });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** An ARI events socket for `app`, collecting event types. */
function events(pbx: DemoPbx, app: string): Promise<{ ws: WebSocket; seen: { type: string; channel?: { id: string } }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${pbx.url.replace(/^http/, 'ws')}/ari/events?app=${app}&api_key=demo:demo`);
    const seen: { type: string; channel?: { id: string } }[] = [];
    ws.on('message', (d) => seen.push(JSON.parse(String(d)) as { type: string }));
    ws.once('open', () => resolve({ ws, seen }));
    ws.once('error', reject);
  });
}

test('systemname: uniqueids carry the prefix, info shows it as config.name, SYSTEMNAME has it; ARI and /ws find such ids', async (t) => {
  const pbx = await startPbx(t, { systemName: 'lab' });
  const channels = (await ari(pbx, 'GET', '/channels')).body as { id: string; name: string }[];
  assert.ok(channels.length > 0 && channels.every((c) => /^lab-\d+\.\d+$/.test(c.id)), channels.map((c) => c.id).join(' '));
  const info = (await ari(pbx, 'GET', '/asterisk/info')).body as { config: { name: string } };
  assert.equal(info.config.name, 'lab');
  assert.deepEqual((await ari(pbx, 'GET', '/asterisk/variable?variable=SYSTEMNAME')).body, { value: 'lab' });
  const tone = channels.find((c) => c.name.startsWith('Local/milliwatt') && c.name.endsWith(';1'))!;
  assert.equal(((await ari(pbx, 'GET', `/channels/${tone.id}`)).body as { name: string }).name, tone.name);
  const client = new StreamChannelClient({ url: pbx.wsUrl, channel: tone.id }).connect();
  await waitFor(() => client.state === 'streaming', 'audio by a prefixed uniqueid');
  pbx.hangup(tone.id);
  assert.equal((await client.outcome).reason, 'call-ended');
  // Without systemname: plain ids and an empty config.name, as captured.
  const plain = await startPbx(t);
  const captured = fixture('ari_asterisk_info.json') as { config: { name: string } };
  assert.equal(((await ari(plain, 'GET', '/asterisk/info')).body as { config: { name: string } }).config.name, captured.config.name);
  assert.ok(plain.listChannels().every((c) => /^\d+\.\d+$/.test(c.json.id)));
});

test('modules route: loaded modules answer 200 Running, absent ones 404 (and follow the PBX options)', async (t) => {
  const pbx = await startPbx(t);
  for (const name of ['res_ari_stream.so', 'chan_websocket.so']) {
    const r = await ari(pbx, 'GET', `/asterisk/modules/${name}`);
    assert.equal(r.status, 200);
    assert.equal((r.body as { name: string; status: string }).status, 'Running');
    assert.equal((r.body as { name: string }).name, name);
  }
  assert.equal((await ari(pbx, 'GET', '/asterisk/modules/res_nothing.so')).status, 404);
  const old = await startPbx(t, { chanWebsocket: false });
  assert.equal((await ari(old, 'GET', '/asterisk/modules/chan_websocket.so')).status, 404);
  const noStream = await startPbx(t, { faults: [{ kind: 'no-module' }] });
  assert.equal((await ari(noStream, 'GET', '/asterisk/modules/res_ari_stream.so')).status, 404);
  assert.equal((await fetch(`${pbx.ariUrl}/asterisk/modules/chan_websocket.so`)).status, 401, 'credentials needed');
});

test('a second events socket with the same app name replaces the app: the first receives nothing more', async (t) => {
  const pbx = await startPbx(t);
  const first = await events(pbx, 'tapx');
  t.after(() => first.ws.terminate());
  const other = await events(pbx, 'tapy');
  t.after(() => other.ws.terminate());
  assert.deepEqual(((await ari(pbx, 'GET', '/applications')).body as { name: string }[]).map((a) => a.name).sort(), ['tapx', 'tapy']);
  const second = await events(pbx, 'tapx');
  t.after(() => second.ws.terminate());
  assert.equal(pbx.media.appReplacements, 1);
  const target = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  const snoop = (await ari(pbx, 'POST', `/channels/${target}/snoop?spy=in&whisper=none&app=tapx`)).body as { id: string };
  await waitFor(() => second.seen.some((e) => e.type === 'StasisStart'), 'StasisStart on the newer socket');
  assert.equal(await ari(pbx, 'DELETE', `/channels/${snoop.id}`).then((r) => r.status), 204);
  await waitFor(() => second.seen.some((e) => e.type === 'ChannelDestroyed' && e.channel?.id === snoop.id), 'ChannelDestroyed on the newer socket');
  assert.deepEqual(first.seen, [], 'the replaced socket is open but deaf');
  assert.deepEqual(other.seen, [], "another app does not get this app's channel events");
  assert.equal(first.ws.readyState, WebSocket.OPEN);
  assert.deepEqual(((await ari(pbx, 'GET', '/applications/tapx')).body as { name: string }).name, 'tapx');
  second.ws.close();
  await waitFor(() => pbx.media.applications().every((a) => a['name'] !== 'tapx'), 'the app is gone when its socket closes');
  assert.equal((await ari(pbx, 'GET', '/applications/tapx')).status, 404);
});

test('the two ends of a Local channel are in no bridge; a Dial bridges two channels', async (t) => {
  const pbx = await startPbx(t);
  const bridges = (await ari(pbx, 'GET', '/bridges')).body as { channels: string[] }[];
  const local = pbx.listChannels().filter((c) => c.json.name.startsWith('Local/milliwatt@'));
  assert.equal(local.length, 2);
  assert.match(local[0]!.json.name, /^Local\/milliwatt@demo-[0-9a-f]{8};1$/);
  assert.equal(local[1]!.json.name, local[0]!.json.name.replace(/;1$/, ';2'));
  assert.ok(bridges.every((b) => local.every((l) => !b.channels.includes(l.json.id))), 'no bridge holds a Local half');
  const alice = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  assert.ok(bridges.some((b) => b.channels.includes(alice) && b.channels.length === 2));
});

test('an unknown or missing Channel-ID on /ws counts as one ERROR line in the PBX log; a real channel none', async (t) => {
  const pbx = await startPbx(t);
  const ghost = new StreamChannelClient({ url: pbx.wsUrl, channel: 'PJSIP/ghost-00000001' }).connect();
  assert.equal((await ghost.outcome).reason, 'channel-not-found');
  assert.equal(pbx.counters.errorLog, 1);
  assert.equal(((await (await fetch(`${pbx.url}/sim/stats`)).json()) as { errorLog: number }).errorLog, 1, 'readable on the stats route');
  const real = new StreamChannelClient({ url: pbx.wsUrl, channel: pbx.channelByPrefix('PJSIP/bob-')!.json.name }).connect();
  await waitFor(() => real.state === 'streaming', 'streaming');
  assert.equal(pbx.counters.errorLog, 1);
  pbx.hangup(real.channel);
  await real.socketClosed;
});

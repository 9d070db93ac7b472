import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pcmPortTapNumber } from '../../../renderer/bridge/pcm-ports.ts';
import { PCM_PORT_MESSAGE } from '../../../preload/pcm-wire.ts';

test("Electron's data-plane ports: only the preload's own message with one port and a whole tap number is taken", () => {
  const win = {};
  const port = {};
  const ok = { source: win, data: { type: PCM_PORT_MESSAGE, tapNumber: 7 }, ports: [port] };
  assert.equal(pcmPortTapNumber(ok, win), 7);
  assert.equal(pcmPortTapNumber({ ...ok, source: {} }, win), undefined, 'from another window or frame');
  assert.equal(pcmPortTapNumber({ ...ok, source: null }, win), undefined, 'from a worker or port');
  assert.equal(pcmPortTapNumber({ ...ok, ports: [] }, win), undefined, 'no port');
  assert.equal(pcmPortTapNumber({ ...ok, ports: [port, port] }, win), undefined, 'two ports');
  for (const data of [null, 'x', 7, { type: 'other', tapNumber: 7 }, { type: PCM_PORT_MESSAGE }, { type: PCM_PORT_MESSAGE, tapNumber: -1 }, { type: PCM_PORT_MESSAGE, tapNumber: 1.5 }, { type: PCM_PORT_MESSAGE, tapNumber: '7' }, { type: PCM_PORT_MESSAGE, tapNumber: 2 ** 60 }]) {
    assert.equal(pcmPortTapNumber({ ...ok, data }, win), undefined, JSON.stringify(data));
  }
});

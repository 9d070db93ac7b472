import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSPORT_CHOICES } from '../../../preload/contract.ts';
import { planLegs } from '../../../main/core/tap/create-transport.ts';
import { TRANSPORT_TRAITS } from '../../../main/core/tap/tap-transport.ts';
import { validateRequest } from '../../../main/core/service/request-validation.ts';

test('every transport kind has its traits, and the choices are the kinds plus auto', () => {
  assert.deepEqual(Object.keys(TRANSPORT_TRAITS).sort(), TRANSPORT_CHOICES.filter((c) => c !== 'auto').sort());
  assert.equal(TRANSPORT_TRAITS['stream-channel'].closesCleanly, false, 'res_ari_stream: never close first');
  assert.equal(TRANSPORT_TRAITS['ari-media'].closesCleanly, true);
});

test('legs of a tap: one per channel on stream-channel; in (and out for a call) of the first channel on ari-media', () => {
  assert.deepEqual(planLegs('stream-channel', ['A', 'B']), [{ channel: 'A', direction: 'in' }, { channel: 'B', direction: 'in' }]);
  assert.deepEqual(planLegs('ari-media', ['A']), [{ channel: 'A', direction: 'in' }]);
  assert.deepEqual(planLegs('ari-media', ['A', 'B']), [{ channel: 'A', direction: 'in' }, { channel: 'A', direction: 'out' }]);
});

test('requests name the transport from the one list', () => {
  const base = { name: 'x', wsUrl: 'ws://h:8088/ws', headers: {}, allowSelfSigned: false };
  for (const transport of TRANSPORT_CHOICES) assert.doesNotThrow(() => validateRequest('endpoints:save', { ...base, transport }));
  assert.throws(() => validateRequest('endpoints:save', { ...base, transport: 'sip' }), /stream-channel, ari-media, auto/);
});

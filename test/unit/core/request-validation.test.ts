import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, validateRequest } from '../../../main/core/service/request-validation.ts';
import { INVOKE_CHANNELS, isInvokeChannel } from '../../../preload/contract.ts';

test('every contract channel has a validator; unknown channels are recognised as such', () => {
  assert.ok(INVOKE_CHANNELS.length >= 12);
  for (const c of INVOKE_CHANNELS) assert.equal(isInvokeChannel(c), true);
  for (const c of ['__proto__', 'toString', 'tap:destroy', 42, null]) assert.equal(isInvokeChannel(c), false, String(c));
});

test('requests that do not match the contract are refused with a readable reason', () => {
  const bad: [Parameters<typeof validateRequest>[0], unknown, RegExp][] = [
    ['tap:open', { endpointId: 'a', channels: [] }, /channels must be 1 to 16/],
    ['tap:open', { endpointId: 'a', channels: ['x'], extra: 1 }, /unknown field "extra"/],
    ['tap:open', null, /must be an object/],
    ['tap:record', { tapId: 'a', on: 'yes' }, /on must be true or false/],
    ['endpoints:save', { name: 'x', wsUrl: 'ws://a/ws', headers: { a: 5 }, allowSelfSigned: false }, /headers must be/],
    ['endpoints:delete', { id: 'x'.repeat(65) }, /at most 64/],
    ['app:info', { sneaky: true }, /takes no argument/],
    ['app:setCommands', { commands: [{ id: 1 }] }, /commands must be/],
    ['tap:saveReplay', { tapId: 'a', seconds: 600 }, /1 to 120 seconds/],
  ];
  for (const [channel, req, why] of bad) {
    assert.throws(() => validateRequest(channel, req), (e: unknown) => e instanceof BadRequestError && e.code === 'bad-request' && why.test(e.message), `${channel} ${JSON.stringify(req)}`);
  }
  assert.deepEqual(validateRequest('tap:open', { endpointId: 'a', channels: ['PJSIP/a-1'] }), { endpointId: 'a', channels: ['PJSIP/a-1'] });
  assert.equal(validateRequest('tap:list', undefined), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

test('errors in place: a test with an ARI 401 is an error; switching endpoint clears the list; the status bar says authentication failed', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.endpoints.add({ name: 'Wrong password', wsUrl: h.pbx.wsUrl, ariUrl: h.pbx.ariUrl, ariUser: 'demo', ariPassword: 'wrong' });
  const bad = wb.endpoints.item('Wrong password');
  await bad.locator('[data-action=test-endpoint]').click();
  const result = bad.locator('.test-result');
  await result.getByText(/401/).waitFor();
  assert.equal(await result.getAttribute('class'), 'test-result bad');
  assert.doesNotMatch((await result.textContent()) ?? '', /^OK/);

  await wb.endpoints.item('Demo PBX (built-in)').locator('[data-action=open-endpoint]').click();
  await wb.channels.root.locator('.leg').first().waitFor();
  await wb.channels.selectEndpoint('Wrong password');
  await wb.channels.root.locator('.view-message .error').getByText(/401/).waitFor();
  assert.equal(await wb.channels.root.locator('.leg').count(), 0, "no stale list of the other endpoint's channels");
  const status = wb.status.root.locator('[data-status=endpoint]');
  await status.getByText(/Wrong password: ARI authentication failed/).waitFor();
  assert.doesNotMatch((await status.textContent()) ?? '', /unreachable/);
});

test('errors in place: an unknown channel typed by name is reported at the field and opens nothing; Stop is written to the Output panel', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.openByName('PJSIP/ghost-00000009');
  const field = wb.channels.root.locator('#manual-channel-error');
  await field.getByText(/ghost-00000009.*does not exist/).waitFor();
  assert.equal(await wb.channels.root.locator('#manual-channel').getAttribute('aria-invalid'), 'true');
  assert.equal((await wb.focused()).tag, 'input', 'the field keeps focus to fix the name');
  assert.equal(await h.page.locator('.tap-editor').count(), 0, 'no tab opened');
  assert.equal((await h.service.handle('tap:list', undefined)).length, 0, 'no tap opened');

  await wb.channels.tapChannel('Local/milliwatt@');
  await wb.editor.legs().first().locator('.leg-state.state-streaming').waitFor();
  await wb.editor.button('stop').click();
  await wb.output.root.getByText(/Stopped the tap Local\/milliwatt@/).waitFor();
});

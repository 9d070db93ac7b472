import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

test('Problems panel: the lossy call\'s packet loss is listed with its channel and time; Enter on it brings its tap to the front; tab and status bar carry the health', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('PJSIP/erin-');
  await wb.editor.root.waitFor();
  const erinTap = await wb.editor.tapId();
  // A second tap in front, so that choosing the problem has somewhere to jump from.
  await wb.channels.tapChannel('Local/milliwatt@');
  await h.page.waitForFunction((id) => document.querySelector('.tap-editor')?.getAttribute('data-tap') !== id, erinTap);

  await h.page.keyboard.press('Control+Shift+M');
  const panel = h.page.locator('[data-view=problems]');
  await panel.waitFor();
  const row = panel.locator('.problem[data-kind=network]', { hasText: 'Packet loss' }).first();
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.locator('.problem-message').innerText(), /Packet loss from the channel [\d.]+ % \(threshold 2 %/);
  assert.match(await row.locator('.problem-channel').innerText(), /^PJSIP\/erin-/);
  assert.match(await row.locator('.problem-time').innerText(), /\d/);
  assert.match((await row.locator('.problem-icon').getAttribute('class'))!, /sev-(warning|error)/);
  assert.ok(['warning', 'error'].includes((await wb.status.root.locator('[data-status=health]').getAttribute('data-health'))!));
  assert.ok(['warning', 'error'].includes((await h.page.locator(`.tab[data-tap="${erinTap}"] .health-badge`).getAttribute('data-health'))!));

  await row.focus();
  await h.page.keyboard.press('Enter');
  await h.page.waitForFunction((id) => document.querySelector('.tap-editor')?.getAttribute('data-tap') === id, erinTap);
  // The finding is also drawn on the leg's waveform, as a mark of its kind.
  await h.page.locator(`.tap-editor[data-tap="${erinTap}"] .finding-mark[data-kind=network]`).first().waitFor({ state: 'attached' });
});

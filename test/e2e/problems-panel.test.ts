import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.ts';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();
/** The README's image of the Problems panel is rewritten only when asked (`npm run screenshots`). */
const WRITE_ASSETS = process.env['SCREENSHOTS'] === '1';
async function shotPath(t: TestContext, file: string): Promise<string> {
  return WRITE_ASSETS ? new URL(`../../assets/${file}`, import.meta.url).pathname : join(await tempDir(t), file.replaceAll('/', '-'));
}

test('Problems panel: the demo\'s one-way call is listed as a one-way error naming the silent leg, growing; clicking it opens the tap', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapCallOf('PJSIP/frank-');
  await wb.editor.root.waitFor();
  const oneWayTap = await wb.editor.tapId();
  await wb.channels.tapChannel('Local/milliwatt@');
  await h.page.waitForFunction((id) => document.querySelector('.tap-editor')?.getAttribute('data-tap') !== id, oneWayTap);
  await h.page.keyboard.press('Control+Shift+M');
  const row = h.page.locator('[data-view=problems] .problem[data-kind=one-way]').first();
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.locator('.problem-message').innerText(), /One-way audio/);
  assert.match(await row.locator('.problem-channel').innerText(), /^PJSIP\/grace-/);
  assert.match((await row.getAttribute('class'))!, /sev-error/);
  assert.equal(await row.getAttribute('data-tap'), oneWayTap);
  await row.click();
  await h.page.waitForFunction((id) => document.querySelector('.tap-editor')?.getAttribute('data-tap') === id, oneWayTap);
  assert.equal(await h.page.locator(`.tab[data-tap="${oneWayTap}"] .health-badge`).getAttribute('data-health'), 'error');
  assert.equal(await wb.status.root.locator('[data-status=health]').getAttribute('data-health'), 'error');
  // The stretch is drawn on the silent leg's waveform while it grows.
  await wb.waitForMark(oneWayTap, 1, 'one-way');
  await wb.channels.root.locator('#channels-filter').fill('PJSIP');
  await h.page.mouse.move(0, 0);
  await h.page.screenshot({ path: await shotPath(t, 'screenshots/problems.png') });
});

test('Problems panel: the lossy call\'s packet loss is listed with its channel and time; Enter on it brings its tap to the front; tab and status bar carry the health', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('PJSIP/judy-');
  await wb.editor.root.waitFor();
  const judyTap = await wb.editor.tapId();
  // A second tap in front, so that choosing the problem has somewhere to jump from.
  await wb.channels.tapChannel('Local/milliwatt@');
  await h.page.waitForFunction((id) => document.querySelector('.tap-editor')?.getAttribute('data-tap') !== id, judyTap);

  await h.page.keyboard.press('Control+Shift+M');
  const panel = h.page.locator('[data-view=problems]');
  await panel.waitFor();
  const row = panel.locator('.problem[data-kind=network]', { hasText: 'Packet loss' }).first();
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.locator('.problem-message').innerText(), /Packet loss from the channel [\d.]+ % \(threshold 2 %/);
  assert.match(await row.locator('.problem-channel').innerText(), /^PJSIP\/judy-/);
  assert.match(await row.locator('.problem-time').innerText(), /\d/);
  assert.match((await row.locator('.problem-icon').getAttribute('class'))!, /sev-(warning|error)/);
  assert.ok(['warning', 'error'].includes((await wb.status.root.locator('[data-status=health]').getAttribute('data-health'))!));
  assert.ok(['warning', 'error'].includes((await h.page.locator(`.tab[data-tap="${judyTap}"] .health-badge`).getAttribute('data-health'))!));

  await row.focus();
  await h.page.keyboard.press('Enter');
  await h.page.waitForFunction((id) => document.querySelector('.tap-editor')?.getAttribute('data-tap') === id, judyTap);
  // The finding is also drawn on the leg's waveform, as a mark of its kind.
  await wb.waitForMark(judyTap, 0, 'network');
});

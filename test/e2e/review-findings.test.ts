import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';
import { writeOldRecording } from '../helpers/old-recording.ts';

const skip = browserSkipReason();

test('review: a recording made before the detectors is analysed on demand; its findings show as regions of their kind, filterable, and the list counts them', { skip }, async (t) => {
  const h = await startHarness(t);
  await writeOldRecording(h.recordingsDir);
  const wb = new Workbench(h.page);
  await wb.activity.show('recordings');
  await wb.recordings.open(/judy-before-findings/);
  await wb.review.root.waitFor();
  const panel = wb.review.root.locator('[data-part=review-findings]');
  await panel.getByText(/No findings kept/).waitFor();
  await panel.locator('[data-action=analyze]').click();
  const items = panel.locator('.finding-item[data-kind=dropout]');
  await items.nth(1).waitFor();
  assert.equal(await items.count(), 2);
  assert.match(await items.first().innerText(), /Dropout: 40 ms/);
  // Drawn on the waveform as regions of their kind; the user's region list does not list them.
  assert.equal(await h.page.evaluate(() => [...document.querySelector('.review-wave div')!.shadowRoot!.querySelectorAll('[part~="region"]')].length >= 2), true);
  assert.equal(await wb.review.regionItems().count(), 0);
  await panel.locator('.finding-filter input[data-kind=dropout]').uncheck();
  assert.equal(await items.count(), 0);
  await panel.locator('.finding-filter input[data-kind=dropout]').check();
  assert.equal(await items.count(), 2);
  // The Problems panel lists the open recording's findings; choosing one moves the cursor there.
  const before = await wb.review.root.locator('.review-time').innerText();
  await h.page.keyboard.press('Control+Shift+M');
  const rows = h.page.locator('[data-view=problems] .problem[data-recording][data-kind=dropout]');
  assert.equal(await rows.count(), 2);
  await rows.nth(1).click();
  await h.page.waitForFunction((t) => document.querySelector('.review-time')?.textContent !== t, before);
  assert.match(await wb.review.root.locator('.review-time').innerText(), /00:02|:02\b|2\.0/);
  await wb.activity.show('endpoints');
  await wb.activity.show('recordings');
  await wb.recordings.item(/judy-before-findings/).locator('[data-part=finding-counts]').getByText('⚠ 2').waitFor();
});

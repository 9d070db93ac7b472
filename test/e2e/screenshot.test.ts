import { test } from 'node:test';
import { shotPath } from './screenshot-path.ts';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

/** Produces the README's screenshots (assets/screenshots/workbench-dark.png, -light.png) from the real app (SCREENSHOTS=1 writes them there). */
for (const scheme of ['dark', 'light'] as const) {
  test(`README screenshot, ${scheme} theme`, { skip }, async (t) => {
    const h = await startHarness(t, { colorScheme: scheme });
    const wb = new Workbench(h.page);
    await wb.activity.show('channels');
    await wb.channels.tapCallOf('PJSIP/alice-');
    await wb.editor.legs().nth(1).locator('.leg-state.state-streaming').waitFor();
    await wb.editor.button('record').click();
    const tapId = await wb.editor.tapId();
    // Let both turns of the conversation scroll through the waveforms (3 s each).
    await wb.waitForHook<number>((n) => n > 700, 'a full waveform on leg 1', 'waveColumns', tapId, 1);
    await wb.channels.root.locator('#channels-filter').fill('PJSIP');
    const path = await shotPath(t, `screenshots/workbench-${scheme}.png`);
    await h.page.screenshot({ path });
    const png = await readFile(path);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(await h.page.evaluate(() => document.documentElement.dataset['theme']), scheme);
  });
}

/** The review editor's screenshot (assets/screenshots/review.png): a stereo call recording with a labelled region, a marker and the spectrogram. */
test('README screenshot, review editor', { skip }, async (t) => {
  const h = await startHarness(t, { colorScheme: 'dark' });
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapCallOf('PJSIP/alice-');
  await wb.editor.legs().nth(1).locator('.leg-state.state-streaming').waitFor();
  await wb.editor.root.locator('[data-action=record-mode]').selectOption('call');
  await wb.editor.button('record').click();
  await h.page.waitForTimeout(2500);
  await h.page.keyboard.press('m');
  await h.page.waitForTimeout(5000);
  await wb.editor.button('record').click();
  await wb.output.root.getByText(/Saved .*call-stereo\.wav/).waitFor();
  await wb.editor.button('stop').click();
  await wb.activity.show('recordings');
  await wb.recordings.open(/call-stereo/);
  await wb.review.root.locator('.region-item.marker').waitFor();
  await wb.review.drag(0.45, 0.7);
  const label = wb.review.root.locator('.region-item:not(.marker) input').first();
  await label.fill('Bob answers');
  await label.press('Enter');
  await wb.review.button('spectrogram').click();
  await wb.review.root.locator('.review-spectrogram canvas').first().waitFor();
  // The output panel folds away (Ctrl+J) so the regions list shows too.
  await h.page.keyboard.press('Control+j');
  await h.page.waitForTimeout(300);
  const path = await shotPath(t, 'screenshots/review.png');
  await h.page.screenshot({ path });
  assert.deepEqual([...(await readFile(path)).subarray(1, 4)], [0x50, 0x4e, 0x47]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.ts';
import { browserSkipReason, startHarness, type Harness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

/** Fails the test if the page ever opens the browser's own prompt/confirm/alert. */
function noNativeDialogs(h: Harness): string[] {
  const seen: string[] = [];
  h.page.on('dialog', (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return seen;
}

test('dialogs: rename and delete a recording in the quick input, keyboard first (Esc cancels, Enter confirms, problems inline)', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  const native = noNativeDialogs(h);
  await writeFile(join(h.recordingsDir, 'x.wav'), 'not audio');
  await wb.activity.show('recordings');
  const item = wb.recordings.item('x.wav');
  await item.waitFor();

  await item.locator('[data-action=rename-recording]').click();
  await wb.quick.root.waitFor();
  assert.equal((await wb.focused()).tag, 'input', 'the box takes focus');
  assert.equal(await wb.quick.input.inputValue(), 'x.wav');
  assert.deepEqual(await wb.quick.input.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd]), [0, 1], 'the name without .wav is selected');
  await h.page.keyboard.type('a/b');
  await wb.quick.message.getByText(/cannot contain \//).waitFor();
  await h.page.keyboard.press('Enter');
  assert.ok(await wb.quick.root.isVisible(), 'Enter with a bad name keeps the box open');
  await h.page.keyboard.press('Escape');
  await wb.quick.root.waitFor({ state: 'hidden' });
  assert.equal((await wb.focused()).action, 'rename-recording', 'focus goes back where it was');
  assert.ok((await readdir(h.recordingsDir)).includes('x.wav'));

  await item.locator('[data-action=rename-recording]').click();
  await wb.quick.input.waitFor();
  await h.page.keyboard.type('renamed');
  await h.page.keyboard.press('Enter');
  await wb.recordings.item('renamed.wav').waitFor();
  await wb.quick.root.waitFor({ state: 'hidden' });

  await wb.recordings.item('renamed.wav').locator('[data-action=delete-recording]').click();
  await wb.quick.root.getByText(/renamed\.wav is moved to/).waitFor();
  assert.equal((await wb.focused()).action, 'quick-confirm', 'the confirming button has focus');
  await h.page.keyboard.press('Escape');
  await wb.quick.root.waitFor({ state: 'hidden' });
  assert.ok((await readdir(h.recordingsDir)).includes('renamed.wav'), 'Esc deletes nothing');
  await wb.recordings.item('renamed.wav').locator('[data-action=delete-recording]').click();
  await wb.quick.button('quick-confirm').waitFor();
  await h.page.keyboard.press('Enter');
  await wb.recordings.item('renamed.wav').waitFor({ state: 'detached' });
  assert.deepEqual((await readdir(h.recordingsDir)).filter((n) => n.endsWith('.wav')), []);
  assert.deepEqual(native, []);
});

test('dialogs: deleting an endpoint asks in the quick input; the recordings folder is typed there, a refused path explained in place', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  const native = noNativeDialogs(h);
  await wb.endpoints.add({ name: 'Spare', wsUrl: 'ws://127.0.0.1:1/ws' });
  await wb.endpoints.item('Spare').locator('[data-action=delete-endpoint]').click();
  await wb.quick.root.getByText('Delete the endpoint "Spare"?').waitFor();
  await h.page.keyboard.press('Enter');
  await wb.endpoints.item('Spare').waitFor({ state: 'detached' });

  await wb.activity.show('recordings');
  await wb.recordings.root.locator('[data-action=change-recordings-folder]').click();
  await wb.quick.input.waitFor();
  assert.equal(await wb.quick.input.inputValue(), h.recordingsDir);
  await wb.quick.input.fill('not/absolute');
  await h.page.keyboard.press('Enter');
  await wb.quick.message.getByText(/is not a full path/).waitFor();
  const other = join(await tempDir(t), 'elsewhere');
  await mkdir(other);
  await wb.quick.input.fill(other);
  await h.page.keyboard.press('Enter');
  await wb.quick.root.waitFor({ state: 'hidden' });
  await wb.recordings.root.locator('.recordings-folder').getByText(other).waitFor();
  assert.deepEqual(native, []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TapView } from '../../preload/contract.ts';
import { browserSkipReason, startHarness, type Harness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';
import { silentWav } from '../helpers/wav-fixtures.ts';

const skip = browserSkipReason();

async function openTaps(h: Harness): Promise<TapView[]> {
  return (await h.service.handle('tap:list', undefined)).filter((t) => !t.detached);
}

test('tabs: a channel tapped twice keeps one tab and one socket; tap tabs close with ✕; review tabs are short, the active tab is scrolled into view, overflow is shown', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('Local/milliwatt@');
  await wb.editor.legs().first().locator('.leg-state.state-streaming').waitFor();
  await wb.activity.show('channels');
  await wb.channels.tapChannel('Local/milliwatt@');
  await wb.channels.openByName(h.pbx.channelByPrefix('Local/milliwatt@')!.json.name);
  const tabs = h.page.locator('.tabs [role=tab]');
  await h.page.waitForFunction(() => document.activeElement?.closest('.tap-editor') !== null);
  assert.equal(await tabs.count(), 1, 'one tab');
  assert.equal((await openTaps(h)).length, 1, 'the service holds one tap');
  assert.equal(h.pbx.listenerCount(h.pbx.channelByPrefix('Local/milliwatt@')!.json.id), 1, 'one socket');

  // Review tabs: the name without its long stamp, the whole name as the tooltip.
  const names: string[] = [];
  for (let i = 0; i < 9; i++) {
    const name = `2026-12-02T06-1${i}-00-000Z-PJSIP_alice-0000000${i}-call-stereo.wav`;
    names.push(name);
    await writeFile(join(h.recordingsDir, name), silentWav(200));
  }
  for (const n of names) await wb.hook('openReview', n);
  const last = h.page.locator(`.tabs [data-review="${names.at(-1)}"]`);
  assert.equal((await last.textContent())?.replace('♒', '').trim(), 'PJSIP_alice-00000008-call-stereo');
  assert.equal(await last.getAttribute('title'), names.at(-1));
  const strip = (await h.page.locator('.tabs').boundingBox())!;
  const width = (await last.boundingBox())!.width;
  assert.ok(width <= 300, `a review tab is ${width} px wide`);
  // Ten tabs do not fit: the sign says how many are out of sight, and the active one is in view.
  await h.page.locator('[data-action=more-tabs]').getByText(/⋯ \d+/).waitFor();
  const box = (await last.boundingBox())!;
  assert.ok(box.x >= strip.x - 1 && box.x + box.width <= strip.x + strip.width + 1, 'the new tab is scrolled into view');
  // Focusing the first tab (far left) scrolls back to it.
  await h.page.locator('[data-action=more-tabs]').click();
  await wb.quick.input.fill('milliwatt');
  await h.page.keyboard.press('Enter');
  await wb.editor.root.waitFor();
  const tapTab = (await h.page.locator('.tabs [data-tap]').boundingBox())!;
  const strip2 = (await h.page.locator('.tabs').boundingBox())!;
  assert.ok(tapTab.x >= strip2.x - 1, 'the tap tab is scrolled back into view');

  // The tap tab has a close button like the review tabs: it stops the tap.
  await h.page.locator('.tab-wrap', { has: h.page.locator('[data-tap]') }).locator('[data-action=close-tab]').click();
  await h.page.locator('.tabs [data-tap]').waitFor({ state: 'detached' });
  assert.equal((await openTaps(h)).length, 0);
});

test('focus: view keys move focus into the view; lists move with arrows, keep the row when others go, and Enter taps into a focused editor', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await h.page.keyboard.press('Control+Shift+E');
  assert.equal((await wb.focused()).inside, 'endpoints');
  assert.match((await wb.focused()).id ?? '', /.+/, 'an endpoint row has focus');
  await h.page.keyboard.press('Control+Shift+Y');
  assert.equal((await wb.focused()).inside, 'recordings');
  await h.page.keyboard.press('Control+Shift+C');
  await wb.channels.root.locator('.leg').first().waitFor();
  await h.page.keyboard.press('Control+Shift+C');
  assert.equal((await wb.focused()).inside, 'channels');

  // Walk down to the milliwatt leg with the arrows.
  const milliwatt = h.pbx.channelByPrefix('Local/milliwatt@')!.json;
  await h.page.keyboard.press('Home');
  for (let i = 0; i < 20 && (await wb.focused()).id !== `leg:${milliwatt.id}`; i++) await h.page.keyboard.press('ArrowDown');
  assert.equal((await wb.focused()).id, `leg:${milliwatt.id}`);
  // The conversation listed above it ends: the list changes, the keyboard stays on the same row.
  const alice = h.pbx.channelByPrefix('PJSIP/alice-')!.json;
  h.pbx.hangup(alice.id);
  await wb.channels.root.locator(`[data-id="leg:${alice.id}"]`).waitFor({ state: 'detached' });
  assert.equal((await wb.focused()).id, `leg:${milliwatt.id}`, 'focus stays on the milliwatt row');
  await h.page.keyboard.press('Enter');
  await wb.editor.legs().first().locator('.leg-state.state-streaming').waitFor();
  // Leg state changes re-render the tab strip: focus stays in the new tab's editor.
  assert.equal((await wb.focused()).inside, 'tap-editor');
  await wb.editor.root.locator('.tap-stats').getByText(/frames [1-9]/).waitFor();
  assert.equal((await wb.focused()).inside, 'tap-editor');
  assert.match(await wb.editor.root.getAttribute('data-tap') ?? '', /.+/);
  assert.equal((await openTaps(h))[0]?.legs[0]?.channel, milliwatt.name);
});

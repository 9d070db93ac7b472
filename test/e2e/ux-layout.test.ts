import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';
import { silentWav } from '../helpers/wav-fixtures.ts';

const skip = browserSkipReason();

/** Left edges and rows (centre, in 4 px steps) of a toolbar's visible controls, by data-action (or aria-label). */
async function positions(toolbar: Locator): Promise<Record<string, { x: number; y: number }>> {
  return toolbar.evaluate((el) => {
    const out: Record<string, { x: number; y: number }> = {};
    for (const c of el.children) {
      const r = c.getBoundingClientRect();
      if (r.width === 0) continue;
      out[c.getAttribute('data-action') ?? c.getAttribute('aria-label') ?? c.className] = { x: Math.round(r.x * 2) / 2, y: Math.round((r.y + r.height / 2) / 4) };
    }
    return out;
  });
}

test('layout at 1280×720: the tap toolbar stays on one row and its buttons stay put; meters have a dB scale; directions worded as the README; Output actions on the right; recording cards wrap between words', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await h.page.setViewportSize({ width: 1280, height: 720 });
  await wb.endpoints.item('Demo PBX (built-in)').locator('[data-action=duplicate-endpoint]').click();
  await wb.endpoints.item('Demo PBX (copy)').locator('[data-action=open-endpoint]').click();
  await wb.channels.tapCallOf('PJSIP/alice-');
  await wb.editor.legs().nth(1).locator('.leg-state.state-streaming').waitFor();
  assert.equal(await wb.editor.legs().nth(0).locator('.leg-channel').textContent(), `${h.pbx.channelByPrefix('PJSIP/alice-')!.json.name} · in: what the channel reads (its party speaking)`);
  assert.match((await wb.editor.legs().nth(1).locator('.leg-channel').textContent()) ?? '', / · out: what Asterisk sends to it$/);

  const toolbar = wb.editor.root.locator('.toolbar');
  const before = await positions(toolbar);
  const rows = new Set(Object.values(before).map((p) => p.y));
  assert.equal(rows.size, 1, `the toolbar wraps: ${JSON.stringify(before)}`);
  await wb.editor.button('listen').click();
  await wb.editor.button('record').click();
  await wb.editor.root.locator('[data-part=record-info]').getByText(/00:0\d\.\d · /).waitFor();
  assert.deepEqual(await positions(toolbar), before, 'no button moved while listening and recording');

  // The dB scale lines up with the meters: -12 dBFS is 80 % along.
  const meter = (await wb.editor.legs().first().locator('.meter').first().boundingBox())!;
  const tick = (await wb.editor.legs().first().locator('.meter-tick[data-db="-12"]').boundingBox())!;
  assert.ok(Math.abs(tick.x + tick.width / 2 - (meter.x + meter.width * 0.8)) <= 2, `tick at ${tick.x + tick.width / 2}, meter 80 % at ${meter.x + meter.width * 0.8}`);
  await wb.editor.legs().first().locator('.meter-scale').getByText('0 dBFS').waitFor();

  const header = (await wb.output.root.locator('.part-title').boundingBox())!;
  const copy = (await wb.output.root.locator('[data-action=copy-output]').boundingBox())!;
  assert.ok(copy.x > header.x + header.width * 0.75, `Copy sits at ${copy.x - header.x} of ${header.width} px`);

  await wb.editor.button('record').click();
  await wb.output.root.getByText(/Saved .*\.wav/).first().waitFor();
  await wb.activity.show('recordings');
  await wb.recordings.root.locator('.recording').first().waitFor();
  const split = await wb.recordings.root.evaluate((view) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(view.querySelector('.recording-list')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      for (const m of text.matchAll(/\S+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
  assert.deepEqual(split, [], 'words broken across lines in the recording cards');
});

test('layout: the Transport choice is not cut; the review toolbar is one row and its timeline keeps its last label inside; an empty recording opens with a plain message', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.endpoints.root.locator('[data-action=add-endpoint]').click();
  const cut = await h.page.locator('#endpoint-field-transport').evaluate((sel: HTMLSelectElement) => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = getComputedStyle(sel).font;
    const room = sel.clientWidth - 30; // padding and the arrow
    return [...sel.options].filter((o) => ctx.measureText(o.text).width > room).map((o) => o.text);
  });
  assert.deepEqual(cut, [], 'options wider than the box');

  await writeFile(join(h.recordingsDir, 'five.wav'), silentWav(5200));
  await writeFile(join(h.recordingsDir, 'empty.wav'), silentWav(0));
  await wb.hook('openReview', 'five.wav');
  await h.page.waitForFunction(() => (window as unknown as { __asteriskTap: { review(n: string): { drawnAfterMs: number | null } | null } }).__asteriskTap.review('five.wav')?.drawnAfterMs != null);
  const reviewBar = await positions(wb.review.root.locator('.toolbar'));
  assert.equal(new Set(Object.values(reviewBar).map((p) => p.y)).size, 1, `the review toolbar wraps: ${JSON.stringify(reviewBar)}`);
  const clipped = await h.page.waitForFunction(() => {
    const host = document.querySelector('.review-wave')?.firstElementChild?.shadowRoot;
    const timeline = host?.querySelector<HTMLElement>('[part~="timeline"]');
    const notches = [...(timeline?.querySelectorAll<HTMLElement>('[part~="timeline-notch"]') ?? [])].filter((n) => (n.textContent ?? '') !== '');
    if (!timeline || notches.length < 2) return null;
    const right = timeline.getBoundingClientRect().right;
    return notches.map((n) => {
      const r = document.createRange();
      r.selectNodeContents(n);
      return { label: n.textContent, over: Math.round(r.getBoundingClientRect().right - right) };
    });
  });
  const labels = (await clipped.jsonValue())!;
  assert.deepEqual(labels.filter((l) => l.over > 0), [], `labels past the end: ${JSON.stringify(labels)}`);

  await wb.hook('openReview', 'empty.wav');
  await wb.review.root.locator('.empty-recording').getByText(/empty\.wav holds no audio/).waitFor();
  await wb.output.root.getByText(/channelData/).waitFor({ state: 'detached', timeout: 500 }).catch(() => undefined);
  assert.equal(await wb.output.root.getByText(/channelData|non-empty/).count(), 0);
});

test('a silent leg says it sent no audio: in the tap, beside a recording counter that cannot move, and in the status bar', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  const silent = h.pbx.channelByPrefix('Local/milliwatt@')!.json.name.replace(/;1$/, ';2');
  await wb.channels.openByName(silent);
  await wb.editor.legs().first().locator('.leg-state.state-silent').waitFor();
  await wb.editor.legs().first().locator('[data-part=no-audio]').getByText(/sent no audio since the tap opened/).waitFor();
  await wb.editor.button('record').click();
  await wb.editor.root.locator('[data-part=record-info]').getByText(/no audio from the channel yet/).waitFor();
  await wb.status.item('recording').getByText(/REC 00:00\.0 · no audio from the channel/).waitFor();
});

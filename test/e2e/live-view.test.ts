import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

interface PictureCheck {
  maxDiff: number;
  barHeights: number[];
}
interface LegState {
  columnsAdded: number;
  draws: number;
  packets: number;
  marks: string[];
}
type Hooks = { __asteriskTap: { waveState(id: string, leg: number): Promise<LegState> } };

/** A leg's live waveform as the live worker reports it. */
const legState = (page: Page, id: string, leg = 0): Promise<LegState> => page.evaluate(([i, l]) => (window as unknown as Hooks).__asteriskTap.waveState(i, l), [id, leg] as const);
const columns = async (page: Page, id: string, leg = 0): Promise<number> => (await legState(page, id, leg)).columnsAdded;
const draws = async (page: Page, id: string, leg = 0): Promise<number> => (await legState(page, id, leg)).draws;
/** Waits until the leg's state satisfies `ok` (polled: the state lives in the live worker). */
async function waitForLeg(page: Page, id: string, leg: number, ok: (s: LegState) => boolean, what: string, timeoutMs = 30_000): Promise<LegState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await legState(page, id, leg);
    if (ok(s)) return s;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(s)}`);
    await page.waitForTimeout(50);
  }
}
/** Waits until the leg's waveform has folded in `more` further columns (about 10 ms of audio each). */
async function columnsGrow(page: Page, id: string, more: number, leg = 0): Promise<void> {
  const from = await columns(page, id, leg);
  await waitForLeg(page, id, leg, (s) => s.columnsAdded >= from + more, `${more} more columns`);
}
const drawsPast = (page: Page, id: string, n: number): Promise<LegState> => waitForLeg(page, id, 0, (s) => s.draws > n, `a picture after ${n}`);

/** The workbench with a tap of the demo's milliwatt tone in front. */
async function toneTap(t: TestContext): Promise<{ h: Awaited<ReturnType<typeof startHarness>>; wb: Workbench; tapId: string }> {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.tapOnDemo('channel', 'Local/milliwatt@');
  return { h, wb, tapId: await wb.editor.tapId() };
}

test('live waveform: the scrolled, incrementally drawn picture equals a full redraw and shows the milliwatt tone at its level', { skip }, async (t) => {
  const { h, wb, tapId } = await toneTap(t);
  await columnsGrow(h.page, tapId, 300);
  const check = await wb.hook<PictureCheck>('waveCheck', tapId, 0);
  assert.equal(check.maxDiff, 0, 'every pixel as a full redraw of the same columns draws it');
  // Milliwatt peaks at 25107 of 32768: a bar from 40 − 30.65 to 40 + 30.65 px on the 80 px canvas,
  // right of the 1 px centre line drawn for the time before the tap started.
  const bars = check.barHeights;
  const start = bars.findIndex((px) => px > 1);
  assert.ok(start >= 0, 'the tone is drawn');
  assert.ok(bars.slice(0, start).every((px) => px === 1), 'before the audio: the 1 px centre line');
  const tone = bars.slice(start + 2);
  assert.ok(tone.length >= 200 && tone.every((px) => px >= 59 && px <= 63), `the tone's columns span about 61 px: ${[...new Set(tone)].join(',')} over ${tone.length} columns`);
});

test('live waveform of a call (speech turns): both legs equal a full redraw after seconds of scrolling', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.tapOnDemo('call', 'PJSIP/alice-');
  await wb.editor.legs().nth(1).waitFor();
  const tapId = await wb.editor.tapId();
  await columnsGrow(h.page, tapId, 400, 1);
  for (const leg of [0, 1]) {
    const check = await wb.hook<PictureCheck>('waveCheck', tapId, leg);
    assert.equal(check.maxDiff, 0, `leg ${leg}: every pixel as a full redraw draws it`);
    assert.ok(Math.max(...check.barHeights) > 10, `leg ${leg} shows speech`);
  }
});

test('a hidden waveform draws nothing (other tab, hidden page, scrolled out of view) and is complete when shown again', { skip }, async (t) => {
  const { h, wb, tapId: first } = await toneTap(t);
  await columnsGrow(h.page, first, 50);
  const drawsBefore = await draws(h.page, first);
  assert.ok(drawsBefore > 0, 'a shown waveform draws');

  // Another tap's tab in front: the first keeps folding columns in but draws nothing.
  await wb.channels.tapChannel('PJSIP/alice-');
  await h.page.locator('.tab', { hasText: 'alice' }).waitFor();
  await h.page.waitForFunction((id) => document.querySelector(`.tap-editor[data-tap="${id}"]`) === null, first);
  const hiddenFrom = await draws(h.page, first);
  await columnsGrow(h.page, first, 150);
  assert.equal(await draws(h.page, first), hiddenFrom, 'no drawing in a background tab');

  // Back in front: it catches up in one picture that equals a full redraw.
  await h.page.locator('.tab', { hasText: 'milliwatt' }).click();
  await drawsPast(h.page, first, hiddenFrom);
  assert.equal((await wb.hook<PictureCheck>('waveCheck', first, 0)).maxDiff, 0);

  // The page hidden (another window in front, minimised): nothing drawn until it is visible again.
  await h.page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const pageHiddenFrom = await draws(h.page, first);
  await columnsGrow(h.page, first, 150);
  assert.equal(await draws(h.page, first), pageHiddenFrom, 'no drawing in a hidden page');
  await h.page.evaluate(() => {
    delete (document as unknown as { visibilityState?: string }).visibilityState;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await drawsPast(h.page, first, pageHiddenFrom);

  // Pushed out of the editor's scrolled view (a tall block above it): nothing drawn.
  await h.page.evaluate(() => {
    (document.querySelector('.tap-editor .toolbar') as HTMLElement).style.marginBottom = '3000px';
  });
  await h.page.waitForFunction(() => document.querySelector('.tap-editor canvas.waveform')!.getBoundingClientRect().top >= innerHeight);
  // The observer reports asynchronously: let a few column intervals pass before counting.
  await columnsGrow(h.page, first, 20);
  const scrolledFrom = await draws(h.page, first);
  await columnsGrow(h.page, first, 150);
  assert.equal(await draws(h.page, first), scrolledFrom, 'no drawing out of view');
  await h.page.evaluate(() => {
    (document.querySelector('.tap-editor .toolbar') as HTMLElement).style.marginBottom = '';
  });
  await drawsPast(h.page, first, scrolledFrom);
  assert.equal((await wb.hook<PictureCheck>('waveCheck', first, 0)).maxDiff, 0);
});

test('finding marks are drawn in the picture by the live worker: the one-way mark over the silent leg, scrolled with it and equal to a full redraw', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapCallOf('PJSIP/frank-');
  await wb.editor.root.waitFor();
  const tapId = await wb.editor.tapId();
  await waitForLeg(h.page, tapId, 1, (s) => s.marks.includes('one-way'), 'the one-way mark on the silent leg');
  await columnsGrow(h.page, tapId, 100, 1);
  const check = await wb.hook<PictureCheck>('waveCheck', tapId, 1);
  assert.equal(check.maxDiff, 0, 'the scrolled picture with its band equals a full redraw of the same columns and marks');
  assert.ok((await legState(h.page, tapId, 1)).marks.includes('one-way'), 'still shown after scrolling');
  // Nothing of the mark is in the page's document: it costs the page no style, layout or paint.
  assert.equal(await h.page.locator('.tap-editor .finding-mark').count(), 0);
});

test('audio only shown comes to the page in fewer, larger packets; a listened leg frame by frame', { skip }, async (t) => {
  const { h, wb, tapId } = await toneTap(t);
  await columnsGrow(h.page, tapId, 20);
  // Packets per column of audio, shown and then heard (a column is the same span of audio in both).
  const perColumn = async (): Promise<number> => {
    const a = await legState(h.page, tapId);
    await columnsGrow(h.page, tapId, 200);
    const b = await legState(h.page, tapId);
    return (b.packets - a.packets) / (b.columnsAdded - a.columnsAdded);
  };
  const shown = await perColumn();
  await wb.editor.button('listen').click();
  await h.page.locator('.tap-editor [data-action=listen][aria-pressed=true]').waitFor();
  await columnsGrow(h.page, tapId, 50);
  const heard = await perColumn();
  // The host holds audio only shown for about 40 ms (two 20 ms frames a packet); heard audio goes frame by frame.
  assert.ok(shown < heard * 0.7, `packets per column: shown ${shown.toFixed(3)}, heard ${heard.toFixed(3)}`);
  // Nobody listening any more: the page's audio context is suspended (its threads stop).
  assert.equal(await wb.hook<string>('audioState'), 'running');
  await wb.editor.button('listen').click();
  await h.page.locator('.tap-editor [data-action=listen][aria-pressed=false]').waitFor();
  await wb.waitForHook<string>((s) => s === 'suspended', 'the audio context suspended', 'audioState');
});

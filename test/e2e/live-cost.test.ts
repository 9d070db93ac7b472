import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

/** One DOM mutation as the census saw it: where, what, and whether it changed anything. */
interface Write {
  type: MutationRecordType;
  /** tag.class[data-*] of the element written (a text node's parent). */
  target: string;
  attribute: string | null;
  /** Which part of the workbench: statusbar, channels, tap-editor, panel, tabs or other. */
  part: string;
  /** The write left the element as it was (same attribute value, same children, same text). */
  noop: boolean;
}

interface Census {
  ticks: number;
  writes: Write[];
}

type CensusWindow = { __census?: { ticks: number; stop: () => Write[] } };

/**
 * Starts counting DOM mutations in the page. A stats tick is one change of the tap's stats line
 * (its frame counter moves on every `tap:stats`), so the bound is per tick, not per second.
 */
async function startCensus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const describe = (el: Element | null): string => {
      if (!el) return '?';
      const data = ['status', 'part', 'view']
        .map((k) => el.getAttribute(`data-${k}`))
        .filter((v) => v !== null)
        .map((v) => `[${v}]`)
        .join('');
      return `${el.tagName.toLowerCase()}${el.classList.length > 0 ? `.${[...el.classList].join('.')}` : ''}${data}`;
    };
    const partOf = (el: Element | null): string =>
      el?.closest('.statusbar') ? 'statusbar' : el?.closest('[data-view=channels]') ? 'channels' : el?.closest('.tap-editor') ? 'tap-editor' : el?.closest('.panel') ? 'panel' : el?.closest('.tab-bar') ? 'tabs' : 'other';
    const serialize = (nodes: NodeList): string => [...nodes].map((n) => (n instanceof Element ? n.outerHTML : (n.textContent ?? ''))).join('');
    const writes: (Write & { node: Node; lastValue?: string | null })[] = [];
    // The value an attribute write set is the next write's old value (or, for the last, the value now).
    const lastWrite = new Map<Node, Map<string, number>>();
    let ticks = 0;
    const take = (records: MutationRecord[]): void => {
      for (const m of records) {
        const el = m.target instanceof Element ? m.target : m.target.parentElement;
        if (el?.classList.contains('tap-stats')) ticks++;
        const w: Write & { node: Node; lastValue?: string | null } = { type: m.type, target: describe(el), attribute: m.attributeName, part: partOf(el), noop: false, node: m.target, lastValue: m.oldValue };
        if (m.type === 'attributes') {
          const byAttr = lastWrite.get(m.target) ?? new Map<string, number>();
          lastWrite.set(m.target, byAttr);
          const prev = byAttr.get(m.attributeName!);
          if (prev !== undefined) writes[prev]!.noop = writes[prev]!.lastValue === m.oldValue;
          byAttr.set(m.attributeName!, writes.length);
        } else if (m.type === 'childList') {
          w.noop = m.addedNodes.length + m.removedNodes.length > 0 && serialize(m.removedNodes) === serialize(m.addedNodes);
        } else {
          w.noop = m.oldValue === m.target.textContent;
        }
        writes.push(w);
      }
    };
    const mo = new MutationObserver(take);
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true, characterDataOldValue: true });
    (window as unknown as CensusWindow).__census = {
      get ticks() {
        return ticks;
      },
      stop: () => {
        take(mo.takeRecords());
        mo.disconnect();
        for (const [node, byAttr] of lastWrite) for (const [attr, i] of byAttr) writes[i]!.noop = writes[i]!.lastValue === (node as Element).getAttribute(attr);
        return writes.map(({ node: _n, lastValue: _v, ...w }) => w);
      },
    };
  });
}

/** Waits until the census has seen `n` stats ticks, then stops it. */
async function censusAfterTicks(page: Page, n: number): Promise<Census> {
  await page.waitForFunction((k) => ((window as unknown as CensusWindow).__census?.ticks ?? 0) >= k, n, { timeout: 60_000 });
  return page.evaluate(() => {
    const c = (window as unknown as CensusWindow).__census!;
    const ticks = c.ticks;
    return { ticks, writes: c.stop() };
  });
}

const summary = (writes: Write[]): string => {
  const by = new Map<string, number>();
  for (const w of writes) {
    const k = `${w.type}:${w.target}${w.attribute ? `:${w.attribute}` : ''}${w.noop ? ' (no-op)' : ''}`;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join('\n');
};

/** Taps a demo channel from the Channels view (which stays shown, refreshing every 2 s), listens, and counts `ticks` stats ticks of writes. */
async function listenedCensus(wb: Workbench, prefix: string, ticks: number): Promise<Census & { all: string }> {
  await wb.tapOnDemo('channel', prefix);
  await wb.editor.button('listen').click();
  await wb.editor.root.locator('[data-action=listen][aria-pressed=true]').waitFor();
  // Let the tap settle (the meters reach the level, the channel list has the tap's state) before counting.
  await startCensus(wb.page);
  await censusAfterTicks(wb.page, 8);
  await startCensus(wb.page);
  const c = await censusAfterTicks(wb.page, ticks);
  return { ...c, all: summary(c.writes) };
}

/** Call health (badges, Problems panel and its count) changes only when a finding does; a detector may flag a stall under load. */
const isHealth = (w: Write): boolean => /health|problem|panel-tab|status-counts/.test(w.target);

/**
 * What a stats tick may write in the tap editor: the stats line, the meters' readout, a bar's scale,
 * colour and whole-dB value; the RTP figures (polled every 2 s); a leg's state and note if it stalls.
 */
const expectedInEditor = (w: Write): boolean =>
  /^span\.net-fig\./.test(w.target) ||
  /^(div\.leg-note|span\.leg-state)/.test(w.target) ||
  (w.type === 'attributes' ? (/^div\.meter$/.test(w.target) && w.attribute === 'aria-valuenow') || (/^div\.meter-fill\./.test(w.target) && (w.attribute === 'style' || w.attribute === 'class')) : /\.(meter-text|tap-stats)$/.test(w.target));

/** A refresh of the Channels view whose calls did not change keeps their rows: only a leg's duration text moves. */
const channelsRewrites = (writes: Write[]): string => summary(writes.filter((w) => w.part === 'channels' && !((w.type === 'childList' || w.type === 'characterData') && /\.leg-detail$/.test(w.target))));

test('live cost: one listened tap on a steady tone writes to the DOM only what changed, a few writes per stats tick', { skip }, async (t) => {
  const h = await startHarness(t);
  const { ticks, writes, all } = await listenedCensus(new Workbench(h.page), 'Local/milliwatt@', 24);

  assert.equal(summary(writes.filter((w) => w.noop)), '', `writes that change nothing:\n${all}`);
  assert.equal(summary(writes.filter((w) => w.part === 'statusbar' && !isHealth(w))), '', `the status bar holds still (nothing in it changes):\n${all}`);
  assert.equal(channelsRewrites(writes), '', `the Channels view's rows are kept:\n${all}`);
  const editor = writes.filter((w) => w.part === 'tap-editor');
  assert.equal(summary(editor.filter((w) => !expectedInEditor(w))), '', `only the stats line and the meters change in the tap editor:\n${all}`);
  // The tone holds its level: about one write a tick (the stats line), the meters still.
  const statsLine = editor.filter((w) => /\.tap-stats$/.test(w.target)).length;
  assert.ok(statsLine <= ticks + 1, `${statsLine} writes of the stats line over ${ticks} ticks:\n${all}`);
  assert.ok(editor.length <= ticks * 2, `${editor.length} tap editor writes over ${ticks} ticks:\n${all}`);
  assert.equal(summary(writes.filter((w) => w.part !== 'tap-editor' && w.part !== 'channels' && !isHealth(w))), '', `nothing else in the workbench is written:\n${all}`);
});

test('live cost: a speaking leg moves its meters by their readout, bar scale, colour and whole-dB value only', { skip }, async (t) => {
  const h = await startHarness(t);
  const { ticks, writes, all } = await listenedCensus(new Workbench(h.page), 'PJSIP/alice-', 24);

  assert.equal(summary(writes.filter((w) => w.noop)), '', `writes that change nothing:\n${all}`);
  assert.equal(channelsRewrites(writes), '', `the Channels view's rows are kept:\n${all}`);
  const editor = writes.filter((w) => w.part === 'tap-editor');
  assert.equal(summary(editor.filter((w) => !expectedInEditor(w))), '', `only the meters, the RTP figures and the stats line change in the tap editor:\n${all}`);
  assert.ok(editor.some((w) => w.attribute === 'style'), `the speech moves the meters:\n${all}`);
  // Per tick at most: the stats line, the readout, and per bar its scale, colour and value.
  assert.ok(editor.length <= ticks * 8, `${editor.length} tap editor writes over ${ticks} ticks:\n${all}`);
});

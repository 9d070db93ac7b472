import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

test('the network strip under a leg shows Asterisk\'s jitter, loss and RTT, coloured when the lossy call bursts; a Local channel says it has no RTP', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('PJSIP/judy-');
  await wb.editor.root.waitFor();
  const strip = wb.editor.legs().nth(0).locator('[data-part=network]');
  await strip.locator('[data-fig=jitter]').waitFor({ timeout: 15_000 });
  assert.match(await strip.innerText(), /jitter [\d.]+ ms\s+loss [\d.]+ %\s+RTT \d+ ms/);
  // The demo's dropouts call loses whole bursts of packets (its audio has zeros there): a poll sees it.
  await strip.locator('[data-fig=loss].warn, [data-fig=loss].bad').waitFor({ timeout: 30_000 });
  const loss = Number(/loss ([\d.]+) %/.exec(await strip.locator('[data-fig=loss]').innerText())![1]);
  assert.ok(loss > 2, `loss ${loss} %`);
  assert.match((await strip.locator('[data-fig=loss]').getAttribute('title'))!, /threshold 2 %/);

  await wb.channels.tapChannel('Local/milliwatt@');
  await h.page.locator('.tap-editor [data-part=network][data-status=no-rtp]').waitFor({ timeout: 15_000 });
  assert.match(await h.page.locator('.tap-editor [data-part=network][data-status=no-rtp]').innerText(), /no RTP/);
});

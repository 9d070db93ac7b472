import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../../main/core/app/electron-binary.ts';
import { _electron as electron } from 'playwright-core';
import { Workbench } from './pages/workbench-page.ts';

const root = new URL('../../', import.meta.url).pathname;

function electronSkipReason(): string | undefined {
  if (!findElectronBinary()) return 'no Electron binary on this machine (it cannot be downloaded here); this test runs where one is installed';
  if (!existsSync(`${root}out/main/index.js`)) return 'the Electron bundles are not built (npm run build)';
  return undefined;
}

const skip = electronSkipReason();

test('Electron: the window opens sandboxed, the bridge works, and a tap on the demo PBX streams', { skip }, async () => {
  const app = await electron.launch({ args: [root, '--no-sandbox'], executablePath: findElectronBinary()! });
  try {
    const page = await app.firstWindow();
    await page.waitForSelector('body[data-ready=true]');
    assert.match(page.url(), /^app:\/\/renderer\//);
    assert.equal(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require), 'undefined', 'no Node in the page');
    assert.equal(await page.evaluate(() => typeof (window as unknown as { tap?: unknown }).tap), 'object');
    const wb = new Workbench(page);
    await wb.endpoints.item('Demo PBX (built-in)').locator('[data-action=open-endpoint]').click();
    await wb.channels.tapChannel('Local/milliwatt@');
    const tapId = await wb.editor.tapId();
    // The hook answers from the live worker (a promise), which waitForFunction would not await: poll.
    for (let cols = 0; cols <= 10; await page.waitForTimeout(50)) {
      cols = await page.evaluate((id) => (window as unknown as { __asteriskTap: { waveColumns(i: string): Promise<number> } }).__asteriskTap.waveColumns(id), tapId);
    }
  } finally {
    await app.close();
  }
});

test('Electron: a recording opens for review over app:// (range requests) and plays', { skip }, async () => {
  const recordings = mkdtempSync(join(tmpdir(), 'asterisk-tap-electron-'));
  const app = await electron.launch({ args: [root, '--no-sandbox'], executablePath: findElectronBinary()!, env: { ...process.env, ASTERISK_TAP_RECORDINGS_DIR: recordings } });
  try {
    const page = await app.firstWindow();
    await page.waitForSelector('body[data-ready=true]');
    const wb = new Workbench(page);
    await wb.tapOnDemo('channel', 'Local/milliwatt@');
    await wb.editor.button('record').click();
    await page.waitForTimeout(2000);
    await wb.editor.button('record').click();
    await wb.output.root.getByText(/Saved .*\.wav/).waitFor();
    await wb.activity.show('recordings');
    await wb.recordings.open(/milliwatt/);
    await wb.review.root.waitFor();
    await page.waitForFunction(() => document.querySelector('.review-editor') !== null);
    await wb.review.button('play').click();
    await page.waitForFunction(() => {
      const hook = (window as unknown as { __asteriskTap: { review(n: string): { currentTime: number } | null } }).__asteriskTap;
      const name = document.querySelector<HTMLElement>('.review-editor')!.dataset['recording']!;
      return (hook.review(name)?.currentTime ?? 0) > 0.3;
    });
  } finally {
    await app.close();
    rmSync(recordings, { recursive: true, force: true });
  }
});

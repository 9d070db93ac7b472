import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { browserSkipReason, startHarness } from './harness.ts';

const skip = browserSkipReason();

test('a page load has no failed request: the favicon is served', { skip }, async (t) => {
  const h = await startHarness(t);
  const failed: string[] = [];
  h.page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  h.page.on('response', (r) => r.status() >= 400 && failed.push(`${r.url()} ${r.status()}`));
  await h.page.reload();
  await h.page.waitForSelector('body[data-ready=true]');
  // Headless Chromium does not fetch icons by itself; a browser asks for the declared one (or /favicon.ico).
  const href = await h.page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href ?? null);
  assert.ok(href, 'the page declares its icon');
  const res = await h.page.context().request.get(href);
  assert.equal(res.status(), 200, href);
  assert.match(res.headers()['content-type'] ?? '', /^image\//);
  assert.deepEqual(failed, []);
});

test('package scripts: npm install builds (prepare) and npm start does not build again; screenshots only on request', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts['prepare'] ?? '', /npm run build/);
  assert.doesNotMatch(pkg.scripts['start'] ?? '', /build/, 'npm install && npm start would build twice');
  assert.match(pkg.scripts['screenshots'] ?? '', /SCREENSHOTS=1/);
  const shot = await readFile(new URL('./screenshot-path.ts', import.meta.url), 'utf8');
  assert.match(shot, /process\.env\['SCREENSHOTS'\]/, 'the screenshot test writes assets/ only when asked');
});

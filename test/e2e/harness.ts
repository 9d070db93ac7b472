import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { WebHost } from '../../main/web/web-host.ts';
import { tempDir } from '../helpers/temp-dir.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const RENDERER = new URL('../../out/renderer', import.meta.url).pathname;

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
  if (!existsSync(join(RENDERER, 'index.html'))) return 'the renderer is not built (npm run build)';
  return undefined;
}

export interface Harness {
  pbx: DemoPbx;
  service: TapService;
  web: WebHost;
  recordingsDir: string;
  configDir: string;
  browser: Browser;
  page: Page;
}

/** The web host with the demo PBX in this process (so tests can hang calls up), and a Chromium page on it. */
export async function startHarness(t: TestContext, opts: { colorScheme?: 'dark' | 'light'; recordingsDir?: string } = {}): Promise<Harness> {
  const pbx = new DemoPbx();
  await pbx.start();
  const configDir = await tempDir(t);
  const recordingsDir = opts.recordingsDir ?? join(await tempDir(t), 'recordings');
  const { store } = await openNodeEndpointStore(configDir);
  const service = new TapService({ store, recordingsDir, host: 'web', version: 'test', demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  const web = new WebHost({ service, rendererDir: RENDERER });
  await web.start();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: opts.colorScheme ?? 'dark' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.after(async () => {
    await browser.close();
    await service.shutdown(0);
    await pbx.stop();
    service.dispose();
    await web.stop();
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  });
  await page.goto(web.url);
  await page.waitForSelector('body[data-ready=true]');
  return { pbx, service, web, recordingsDir, configDir, browser, page };
}

import type { Browser } from 'playwright-core';

/** The browser's renderer processes and their CPU time so far, s (Chromium's SystemInfo.getProcessInfo). */
export async function rendererProcesses(browser: Browser): Promise<{ id: number; cpuTime: number }[]> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number; cpuTime: number }[] };
  await cdp.detach();
  return info.processInfo.filter((p) => p.type === 'renderer');
}

/** CPU time of all renderer processes so far, ms: the page's cost is the difference over a window. */
export async function rendererCpuMs(browser: Browser): Promise<number> {
  return (await rendererProcesses(browser)).reduce((s, p) => s + p.cpuTime * 1000, 0);
}

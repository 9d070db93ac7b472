import type { TestContext } from 'node:test';
import { DemoPbx, type DemoPbxOptions } from '../../main/sim/demo-pbx.ts';

/** A demo PBX on a free loopback port, stopped when the test ends. */
export async function startPbx(t: TestContext, options: DemoPbxOptions = {}): Promise<DemoPbx> {
  const pbx = new DemoPbx(options);
  await pbx.start();
  t.after(() => pbx.stop());
  return pbx;
}

/** The name of the first live channel starting with `prefix` (and ending with `suffix`). */
export function channelName(pbx: DemoPbx, prefix: string, suffix = ''): string {
  const ch = pbx.listChannels().find((c) => c.json.name.startsWith(prefix) && c.json.name.endsWith(suffix));
  if (!ch) throw new Error(`demo PBX has no channel like ${prefix}…${suffix}`);
  return ch.json.name;
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `cond` is true or `ms` passes (then throws with `what`). */
export async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

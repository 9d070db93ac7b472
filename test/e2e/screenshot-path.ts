import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from '../helpers/temp-dir.ts';

/** The tracked README images are rewritten only when asked (`npm run screenshots`); otherwise the shots go to a temp dir. */
export const WRITE_ASSETS = process.env['SCREENSHOTS'] === '1';

/** Where a screenshot goes: `assets/<file>` with SCREENSHOTS=1, else a temporary folder. */
export async function shotPath(t: TestContext, file: string): Promise<string> {
  const path = WRITE_ASSETS ? new URL(`../../assets/${file}`, import.meta.url).pathname : join(await tempDir(t), file);
  await mkdir(dirname(path), { recursive: true });
  return path;
}

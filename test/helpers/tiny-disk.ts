import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestContext } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);

/**
 * A folder on its own tmpfs of `kib` KiB, unmounted when the test ends: a real "disk full"
 * (ENOSPC) for the code that writes recordings. Mounting needs root (CI runs as root); the
 * reason comes back instead when it is not allowed here.
 */
export async function tinyDisk(t: TestContext, kib: number): Promise<{ dir: string } | { skip: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'asterisk-tap-disk-'));
  // One hook, in this order: a mounted folder cannot be removed.
  let mounted = false;
  t.after(async () => {
    if (mounted) await run('umount', ['-l', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]);
    mounted = true;
  } catch (err) {
    return { skip: `cannot mount a small tmpfs to fill (${(err as Error).message.split('\n')[0]}); needs root` };
  }
  return { dir };
}

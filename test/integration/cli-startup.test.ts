import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * Startup cost is what a command loads. Wall-clock time is not asserted (CI is loaded); the
 * modules are: record and probe on stream-channel must not load the web host, ajv, conf, the
 * demo PBX or ws (bench/README.md has the measured times).
 */
test('record and probe load only their own modules (no web host, ajv, conf, demo PBX or ws)', async (t) => {
  const dir = await tempDir(t);
  const hook = join(dir, 'trace.mjs');
  await writeFile(hook, "import { registerHooks } from 'node:module';\nregisterHooks({ load(url, ctx, next) { process.stderr.write('LOADED ' + url + '\\n'); return next(url, ctx); } });\n");
  for (const args of [
    ['probe', '--url', 'ws://127.0.0.1:1/ws', '--channel', 'x', '--seconds', '0.2'],
    ['record', '--url', 'ws://127.0.0.1:1/ws', '--channel', 'x', '--out', join(dir, 'x.wav')],
  ]) {
    const run = spawnSync(process.execPath, ['--import', hook, CLI, ...args], { encoding: 'utf8' });
    const loaded = run.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
    assert.ok(loaded.some((u) => u.includes('/main/cli/cmd-')), `the hook saw the command load:\n${run.stderr}`);
    const heavy = loaded.filter((u) => /node_modules\/(ws|ajv|conf|electron-store)\/|\/main\/(web|sim)\/|\/cmd-(serve|sim|demo|app|analyze)\.js/.test(u));
    assert.deepEqual(heavy, [], `${args[0]} loaded more than it needs`);
  }
});

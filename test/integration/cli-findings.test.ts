import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { channelName, startPbx } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('probe prints each finding in one line as it happens and lists them in --json', async (t) => {
  const pbx = await startPbx(t, { scenarios: ['dropouts'] });
  const judy = channelName(pbx, 'PJSIP/judy-');
  const run = runCli(t, ['probe', '--url', pbx.wsUrl, '--channel', judy, '--seconds', '4', '--json', '--stay']);
  await run.waitForOutput(/waiting for the call to end/, 30_000);
  const report = JSON.parse(run.stdout()) as { findings: { kind: string; leg: number | null; severity: string; startS: number; endS: number | null; message: string; channel: string }[] };
  const dropouts = report.findings.filter((f) => f.kind === 'dropout');
  assert.ok(dropouts.length >= 1, JSON.stringify(report.findings));
  assert.deepEqual([dropouts[0]!.leg, dropouts[0]!.severity, dropouts[0]!.channel], [0, 'warning', judy]);
  assert.ok(dropouts[0]!.endS! > dropouts[0]!.startS);
  assert.match(run.stderr(), new RegExp(`^⚠ \\S+ dropout ${judy.replace(/[/]/g, '\\/')}: Dropout: \\d+ ms`, 'm'));
  pbx.hangup(judy);
  assert.equal(await run.exit, 0);
});

test('record prints findings as they happen, one line each', async (t) => {
  const pbx = await startPbx(t, { scenarios: ['dropouts'] });
  const judy = channelName(pbx, 'PJSIP/judy-');
  const out = join(await tempDir(t), 'judy.wav');
  const run = runCli(t, ['record', '--url', pbx.wsUrl, '--channel', judy, '--out', out, '--seconds', '4']);
  await run.waitForOutput(/dropout PJSIP\/judy-.*: Dropout: \d+ ms/, 30_000);
  await run.waitForOutput(/Saved /, 30_000);
  pbx.hangup(judy);
  assert.equal(await run.exit, 0);
  const lines = run.stderr().split('\n').filter((l) => / dropout PJSIP\/judy-/.test(l));
  assert.equal(new Set(lines).size, lines.length, 'each finding once');
});

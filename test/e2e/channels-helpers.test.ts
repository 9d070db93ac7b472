import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AriAppInstance } from '../../main/core/ari/ari-app-instance.ts';
import { AriMediaClient } from '../../main/core/tap/ari-media-client.ts';
import { waitFor } from '../helpers/demo-pbx.ts';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

test('Channels view: another instance\'s ari-media tap is not listed as a call; the hidden helpers are counted; the Local pair is one call', { skip }, async (t) => {
  const h = await startHarness(t);
  // A colleague's (another instance's) tap on the same PBX: a snoop and an external media channel.
  const other = new AriMediaClient({ ariUrl: h.pbx.ariUrl, user: 'demo', password: 'demo', channel: h.pbx.channelByPrefix('PJSIP/dave-')!.json.id, direction: 'in', instance: new AriAppInstance() }).connect();
  t.after(async () => {
    other.stop();
    await other.socketClosed;
  });
  await waitFor(() => other.state === 'streaming', 'the other tap streaming', 10_000);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.root.getByText('2 helper channels of Asterisk Tap hidden.').waitFor();
  assert.equal(await wb.channels.root.locator('.leg[data-channel^="Snoop/"], .leg[data-channel^="WebSocket/"]').count(), 0);
  const local = wb.channels.root.locator('.call', { has: h.page.locator('.leg[data-channel^="Local/milliwatt@"]') });
  assert.equal(await local.count(), 1, 'both ends of the Local channel in one call');
  assert.equal(await local.locator('.leg').count(), 2);
  assert.equal(await local.locator('[data-action=tap-call]').count(), 1);
});

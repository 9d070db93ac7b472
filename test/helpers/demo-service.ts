import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { DemoPbxOptions } from '../../main/sim/demo-pbx.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { startPbx } from './demo-pbx.ts';
import { tempDir } from './temp-dir.ts';

/** A demo PBX and a service on it with an empty recordings folder, all stopped when the test ends. */
export async function demoService(t: TestContext, pbxOptions: DemoPbxOptions = {}) {
  const pbx = await startPbx(t, pbxOptions);
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const recordingsDir = join(await tempDir(t), 'rec');
  const service = new TapService({ store, recordingsDir, host: 'web', version: 'test', demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
  });
  return { pbx, service, recordingsDir };
}

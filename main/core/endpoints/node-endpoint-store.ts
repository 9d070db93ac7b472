import { join } from 'node:path';
import Conf from 'conf';
import { STORE_SCHEMA, type Endpoint } from './endpoint-schema.ts';
import { EndpointStore, quarantineCorruptStore, type KeyValueBackend } from './endpoint-store.ts';
import { FileSecretStore } from './secret-store.ts';

/** Same file name and format as the Electron app's electron-store, so both read one file. */
export const STORE_NAME = 'endpoints';

/**
 * The endpoint store under plain Node (CLI, web host, tests): `conf`, electron-store's engine,
 * on the same file format; secrets in a 0600 file beside it.
 */
export function openNodeEndpointStore(dir: string): { store: EndpointStore; warning: string | undefined } {
  const warning = quarantineCorruptStore(join(dir, `${STORE_NAME}.json`));
  const conf = new Conf<{ schemaVersion: number; endpoints: Endpoint[] }>({
    projectName: 'asterisk-tap',
    cwd: dir,
    configName: STORE_NAME,
    schema: STORE_SCHEMA as never,
    defaults: { schemaVersion: 1, endpoints: [] },
  });
  const backend: KeyValueBackend = {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    get path() {
      return conf.path;
    },
  };
  return { store: new EndpointStore(backend, new FileSecretStore(join(dir, 'secrets.json'))), warning };
}

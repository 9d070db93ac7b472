import { join } from 'node:path';
import type Conf from 'conf';
import { STORE_SCHEMA, type Endpoint } from './endpoint-schema.ts';
import { EndpointStore, quarantineCorruptStore, type KeyValueBackend } from './endpoint-store.ts';
import { FileSecretStore, NODE_SECRETS_FILE, migrateLegacySecrets } from './secret-store.ts';

/** Same file name and format as the Electron app's electron-store, so both read one file. */
export const STORE_NAME = 'endpoints';

let confModule: Promise<typeof Conf> | undefined;

/**
 * Loads conf without the process-wide signal hooks of its dependency when-exit (via atomically),
 * which re-raises every SIGINT/SIGTERM it sees: one Ctrl+C would arrive twice and the second
 * would count as "close now" — exactly what must not happen to a stream-channel tap. The app
 * handles its own signals and ends cleanly; when-exit's 'exit' hook (temp-file clean-up) stays.
 */
function loadConf(): Promise<typeof Conf> {
  confModule ??= (async () => {
    const signals = (): Map<string | symbol, ((...args: unknown[]) => void)[]> => new Map(process.eventNames().filter((e) => typeof e === 'string' && e.startsWith('SIG')).map((e) => [e, process.listeners(e as NodeJS.Signals) as ((...args: unknown[]) => void)[]]));
    const before = signals();
    const { default: ConfClass } = await import('conf');
    for (const [event, listeners] of signals()) {
      const old = before.get(event) ?? [];
      for (const l of listeners) if (!old.includes(l)) process.removeListener(event as NodeJS.Signals, l as () => void);
    }
    return ConfClass;
  })();
  return confModule;
}

/**
 * The endpoint store under plain Node (CLI, web host, tests): `conf`, electron-store's engine,
 * on the same file format; secrets in a 0600 file beside it.
 */
export async function openNodeEndpointStore(dir: string): Promise<{ store: EndpointStore; warning: string | undefined }> {
  const migrated = migrateLegacySecrets(dir);
  const quarantined = quarantineCorruptStore(join(dir, `${STORE_NAME}.json`));
  const ConfClass = await loadConf();
  const conf = new ConfClass<{ schemaVersion: number; endpoints: Endpoint[] }>({
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
  const secrets = new FileSecretStore(join(dir, NODE_SECRETS_FILE));
  const store = new EndpointStore(backend, secrets);
  const notices = [migrated, quarantined, ...secrets.notices, store.migrateSecretHeaders()].filter((n) => n !== undefined);
  return { store, warning: notices.length > 0 ? notices.join(' ') : undefined };
}

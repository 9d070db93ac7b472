import { safeStorage } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { STORE_SCHEMA, type Endpoint } from '../core/endpoints/endpoint-schema.ts';
import { EndpointStore, quarantineCorruptStore, type KeyValueBackend } from '../core/endpoints/endpoint-store.ts';
import type { SecretKind, SecretStore } from '../core/endpoints/secret-store.ts';
import { FileSecretStore, MAX_SECRETS_BYTES, NODE_SECRETS_FILE, SAFE_STORAGE_SECRETS_NAME, migrateLegacySecrets } from '../core/endpoints/secret-store.ts';
import { STORE_NAME } from '../core/endpoints/node-endpoint-store.ts';
import { setAsideIfTooLarge } from '../core/common/safe-write.ts';
import { describeSafeStorage } from './safe-storage-protection.ts';

/** Secrets encrypted through safeStorage, kept in their own electron-store file (never the Node store's). */
class SafeStorageSecretStore implements SecretStore {
  readonly protection: string;
  readonly notices: string[] = [];
  private readonly store = new Store<Record<string, string>>({ name: SAFE_STORAGE_SECRETS_NAME });

  constructor(protection: string) {
    this.protection = protection;
  }
  private key(id: string, kind: SecretKind): string {
    return `${id}.${kind}`.replace(/\./g, '\\.');
  }
  get(id: string, kind: SecretKind): string | undefined {
    const b64 = this.store.get(this.key(id, kind));
    if (typeof b64 !== 'string') return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(b64, 'base64'));
    } catch {
      return undefined;
    }
  }
  set(id: string, kind: SecretKind, value: string | undefined): void {
    if (value === undefined || value === '') this.store.delete(this.key(id, kind));
    else this.store.set(this.key(id, kind), safeStorage.encryptString(value).toString('base64'));
  }
  kinds(id: string): SecretKind[] {
    return Object.keys(this.store.store).filter((k) => k.startsWith(`${id}.`)).map((k) => k.slice(id.length + 1) as SecretKind);
  }
  delete(id: string): void {
    for (const kind of this.kinds(id)) this.store.delete(this.key(id, kind));
  }
}

/** The endpoint store in the desktop app: electron-store (same file and format as `conf` under Node). */
export function openElectronEndpointStore(userData: string): { store: EndpointStore; warning: string | undefined } {
  const migrated = migrateLegacySecrets(userData);
  const quarantined = quarantineCorruptStore(join(userData, `${STORE_NAME}.json`));
  const store = new Store<{ schemaVersion: number; endpoints: Endpoint[] }>({ name: STORE_NAME, schema: STORE_SCHEMA as never, defaults: { schemaVersion: 1, endpoints: [] } });
  const backend: KeyValueBackend = {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    get path() {
      return store.path;
    },
  };
  // Where the OS offers no encryption at all, the 0600 file (the Node store's own format); say so either way.
  const backendName = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  const tooLarge = setAsideIfTooLarge(join(userData, `${SAFE_STORAGE_SECRETS_NAME}.json`), MAX_SECRETS_BYTES, 'secrets file');
  const secrets = safeStorage.isEncryptionAvailable() ? new SafeStorageSecretStore(describeSafeStorage(process.platform, backendName)) : new FileSecretStore(join(userData, NODE_SECRETS_FILE));
  const endpoints = new EndpointStore(backend, secrets);
  const notices = [migrated, quarantined, tooLarge, ...secrets.notices, endpoints.migrateSecretHeaders()].filter((n) => n !== undefined);
  return { store: endpoints, warning: notices.length > 0 ? notices.join(' ') : undefined };
}

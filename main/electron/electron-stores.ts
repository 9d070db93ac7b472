import { safeStorage } from 'electron';
import Store from 'electron-store';
import { STORE_SCHEMA, type Endpoint } from '../core/endpoints/endpoint-schema.ts';
import { EndpointStore, quarantineCorruptStore, type KeyValueBackend } from '../core/endpoints/endpoint-store.ts';
import type { SecretKind, SecretStore } from '../core/endpoints/secret-store.ts';
import { FileSecretStore } from '../core/endpoints/secret-store.ts';
import { STORE_NAME } from '../core/endpoints/node-endpoint-store.ts';
import { join } from 'node:path';

/** Secrets encrypted with the OS keychain through safeStorage, kept in their own electron-store file. */
class SafeStorageSecretStore implements SecretStore {
  readonly protection = 'encrypted with the operating system keychain (Electron safeStorage)';
  private readonly store = new Store<Record<string, string>>({ name: 'secrets' });

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
  delete(id: string): void {
    for (const kind of ['ariPassword', 'authPassword'] as const) this.store.delete(this.key(id, kind));
  }
}

/** The endpoint store in the desktop app: electron-store (same file and format as `conf` under Node). */
export function openElectronEndpointStore(userData: string): { store: EndpointStore; warning: string | undefined } {
  const warning = quarantineCorruptStore(join(userData, `${STORE_NAME}.json`));
  const store = new Store<{ schemaVersion: number; endpoints: Endpoint[] }>({ name: STORE_NAME, schema: STORE_SCHEMA as never, defaults: { schemaVersion: 1, endpoints: [] } });
  const backend: KeyValueBackend = {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    get path() {
      return store.path;
    },
  };
  // Where the OS offers no keychain (e.g. Linux without a secret service) fall back to the 0600 file, and say so.
  const secrets = safeStorage.isEncryptionAvailable() ? new SafeStorageSecretStore() : new FileSecretStore(join(userData, 'secrets.json'));
  return { store: new EndpointStore(backend, secrets), warning };
}

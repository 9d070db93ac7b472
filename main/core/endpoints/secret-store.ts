import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Which secret of an endpoint. */
export type SecretKind = 'ariPassword' | 'authPassword';

/**
 * Where passwords live, apart from the endpoint file so that file can be shared and exported.
 * Electron implements it with safeStorage (OS keychain encryption); plain Node with a 0600 file.
 */
export interface SecretStore {
  get(endpointId: string, kind: SecretKind): string | undefined;
  set(endpointId: string, kind: SecretKind, value: string | undefined): void;
  /** Forgets every secret of an endpoint. */
  delete(endpointId: string): void;
  /** How secrets are protected, in words for the settings screen. */
  readonly protection: string;
}

/**
 * Plain-Node secret store: a JSON file readable by the owner only (mode 0600), beside the
 * endpoint file. It is not encrypted: anyone who can read the user's files can read it. The
 * Electron app uses safeStorage instead.
 */
export class FileSecretStore implements SecretStore {
  readonly protection = 'stored in a file only your user account can read (mode 0600), not encrypted';
  private readonly path: string;
  private data: Record<string, Partial<Record<SecretKind, string>>>;

  constructor(path: string) {
    this.path = path;
    this.data = this.load();
  }

  private load(): Record<string, Partial<Record<SecretKind, string>>> {
    if (!existsSync(this.path)) return {};
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, Partial<Record<SecretKind, string>>>;
    } catch {
      // A damaged secrets file is set aside below; passwords must be entered again.
    }
    renameSync(this.path, `${this.path}.corrupt-${Date.now()}`);
    return {};
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  get(endpointId: string, kind: SecretKind): string | undefined {
    return this.data[endpointId]?.[kind];
  }

  set(endpointId: string, kind: SecretKind, value: string | undefined): void {
    const entry = { ...this.data[endpointId] };
    if (value === undefined || value === '') delete entry[kind];
    else entry[kind] = value;
    if (Object.keys(entry).length === 0) delete this.data[endpointId];
    else this.data[endpointId] = entry;
    this.save();
  }

  delete(endpointId: string): void {
    if (!(endpointId in this.data)) return;
    delete this.data[endpointId];
    this.save();
  }
}

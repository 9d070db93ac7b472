import { chmodSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileStamp } from '../common/file-names.ts';
import { FileTooLargeError, readSmallFileSync, writeFileAtomicSync } from '../common/safe-write.ts';

/** Which secret of an endpoint: its passwords, or the value of a secret-looking header. */
export type SecretKind = 'ariPassword' | 'authPassword' | `header:${string}`;

/** The plain-Node secrets file (also the desktop app's fallback where safeStorage is unavailable). */
export const NODE_SECRETS_FILE = 'node-secrets.json';
/** The desktop app's safeStorage-encrypted secrets (an electron-store of that name). */
export const SAFE_STORAGE_SECRETS_NAME = 'safe-storage-secrets';
/** Both stores once used this one name in two incompatible formats; it is migrated away. */
const LEGACY_SECRETS_FILE = 'secrets.json';
/** Secrets of a thousand endpoints fit in far less; a larger file is not read. */
export const MAX_SECRETS_BYTES = 4 * 1024 * 1024;

/**
 * Where passwords live, apart from the endpoint file so that file can be shared and exported.
 * Electron implements it with safeStorage; plain Node with a 0600 file.
 */
export interface SecretStore {
  get(endpointId: string, kind: SecretKind): string | undefined;
  set(endpointId: string, kind: SecretKind, value: string | undefined): void;
  /** The kinds of secret an endpoint has. */
  kinds(endpointId: string): SecretKind[];
  /** Forgets every secret of an endpoint. */
  delete(endpointId: string): void;
  /** How secrets are protected, in words for the settings screen. */
  readonly protection: string;
  /** What happened to the store's file on opening (tightened, set aside), for the user. */
  readonly notices: readonly string[];
}

type SecretsData = Record<string, Partial<Record<SecretKind, string>>>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNodeFormat = (v: unknown): v is SecretsData => isRecord(v) && Object.values(v).every((e) => isRecord(e) && Object.values(e).every((s) => typeof s === 'string'));
const isElectronFormat = (v: unknown): boolean => isRecord(v) && Object.keys(v).length > 0 && Object.values(v).every((s) => typeof s === 'string');

/**
 * Moves the `secrets.json` both stores used to share to its owner's own file: the Node
 * format ({id: {kind: value}}) to {@link NODE_SECRETS_FILE}, electron-store's flat
 * {"id.kind": base64} to {@link SAFE_STORAGE_SECRETS_NAME}.json. Returns what was done, in words.
 */
export function migrateLegacySecrets(dir: string): string | undefined {
  const legacy = join(dir, LEGACY_SECRETS_FILE);
  if (!existsSync(legacy)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSmallFileSync(legacy, MAX_SECRETS_BYTES));
  } catch {
    return undefined; // Neither store reads it any more; it stays for a person to look at.
  }
  const target = isNodeFormat(parsed) ? NODE_SECRETS_FILE : isElectronFormat(parsed) ? `${SAFE_STORAGE_SECRETS_NAME}.json` : undefined;
  if (!target || existsSync(join(dir, target))) return undefined;
  renameSync(legacy, join(dir, target));
  return `Secrets were moved from ${legacy} to ${join(dir, target)} (${target === NODE_SECRETS_FILE ? 'the Node and web host' : 'the desktop app'} store's own file).`;
}

/**
 * Plain-Node secret store: a JSON file readable by the owner only (mode 0600), beside the
 * endpoint file. It is not encrypted: anyone who can read the user's files can read it. The
 * Electron app uses safeStorage instead.
 */
export class FileSecretStore implements SecretStore {
  readonly protection = 'stored in a file only your user account can read (mode 0600), not encrypted';
  readonly notices: string[] = [];
  private readonly path: string;
  private data: SecretsData;

  constructor(path: string) {
    this.path = path;
    this.data = this.load();
  }

  private load(): SecretsData {
    if (!existsSync(this.path)) return {};
    let problem = 'was damaged or not in the expected format';
    try {
      const mode = statSync(this.path).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        chmodSync(this.path, 0o600);
        this.notices.push(`The secrets file ${this.path} was readable by other users (mode ${mode.toString(8).padStart(4, '0')}); it is now 0600 (only you).`);
      }
      const parsed: unknown = JSON.parse(readSmallFileSync(this.path, MAX_SECRETS_BYTES));
      if (isNodeFormat(parsed)) return parsed;
    } catch (err) {
      if (err instanceof FileTooLargeError) problem = `is ${(err.bytes / 1048576).toFixed(1)} MB, far more than secrets take`;
    }
    const backup = `${this.path}.corrupt-${fileStamp()}`;
    renameSync(this.path, backup);
    this.notices.push(`The secrets file ${this.path} ${problem}; it was kept as ${backup}. Enter the endpoints' passwords and secret headers again.`);
    return {};
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomicSync(this.path, JSON.stringify(this.data, null, 2), 0o600);
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

  kinds(endpointId: string): SecretKind[] {
    return Object.keys(this.data[endpointId] ?? {}) as SecretKind[];
  }

  delete(endpointId: string): void {
    if (!(endpointId in this.data)) return;
    delete this.data[endpointId];
    this.save();
  }
}

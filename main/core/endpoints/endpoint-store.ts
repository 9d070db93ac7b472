import { randomUUID } from 'node:crypto';
import { fileStamp } from '../common/file-names.ts';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { CodedError } from '../common/coded-error.ts';
import { validateEndpoint, isValidStoreFile, type Endpoint, type EndpointInput, type FieldError } from './endpoint-schema.ts';
import type { SecretStore } from './secret-store.ts';

/** What electron-store and conf both offer: the store is written against this, not either. */
export interface KeyValueBackend {
  get(key: 'endpoints'): unknown;
  set(key: 'endpoints', value: Endpoint[]): void;
  readonly path: string;
}

export class EndpointValidationError extends CodedError<'endpoint-invalid'> {
  readonly fields: FieldError[];
  constructor(fields: FieldError[]) {
    super('endpoint-invalid', `The endpoint is not valid: ${fields.map((f) => f.message).join(' ')}`);
    this.fields = fields;
  }
}

/**
 * Checks the store file before the backend opens it: a file that is not JSON or does not match
 * the schema is renamed aside (never deleted) and a fresh store starts. Returns the message to
 * show, or undefined when the file was fine or absent.
 */
export function quarantineCorruptStore(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  let ok: boolean;
  try {
    ok = isValidStoreFile(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    ok = false;
  }
  if (ok) return undefined;
  const backup = `${path}.corrupt-${fileStamp()}`;
  renameSync(path, backup);
  return `The endpoint file ${path} was damaged or not in the expected format. It was kept as ${backup} and a new empty list was started.`;
}

export interface ImportResult {
  added: Endpoint[];
  rejected: { name: string; problems: string[] }[];
}

/** The saved endpoints: validated on every write, passwords kept in a {@link SecretStore}. */
export class EndpointStore {
  private readonly backend: KeyValueBackend;
  readonly secrets: SecretStore;

  constructor(backend: KeyValueBackend, secrets: SecretStore) {
    this.backend = backend;
    this.secrets = secrets;
  }

  list(): Endpoint[] {
    const raw = this.backend.get('endpoints');
    return Array.isArray(raw) ? (raw as Endpoint[]).map((e) => ({ ...e, headers: { ...e.headers } })) : [];
  }

  get(id: string): Endpoint | undefined {
    return this.list().find((e) => e.id === id);
  }

  private require(id: string): Endpoint {
    const found = this.get(id);
    if (!found) throw new CodedError('endpoint-not-found', `No saved endpoint has the id "${id}"; it may have been deleted.`);
    return found;
  }

  add(input: EndpointInput): Endpoint {
    const endpoint = this.toEndpoint(randomUUID(), input);
    this.backend.set('endpoints', [...this.list(), endpoint]);
    this.storeSecrets(endpoint.id, input);
    return endpoint;
  }

  update(id: string, input: EndpointInput): Endpoint {
    this.require(id);
    const endpoint = this.toEndpoint(id, input);
    this.backend.set('endpoints', this.list().map((e) => (e.id === id ? endpoint : e)));
    this.storeSecrets(id, input);
    return endpoint;
  }

  duplicate(id: string): Endpoint {
    const source = this.require(id);
    const { id: _id, ...rest } = source;
    const copy = this.add({
      ...rest,
      name: `${source.name} (copy)`.slice(0, 100),
      ariPassword: this.secrets.get(id, 'ariPassword'),
      authPassword: this.secrets.get(id, 'authPassword'),
    });
    return copy;
  }

  remove(id: string): void {
    this.require(id);
    this.backend.set('endpoints', this.list().filter((e) => e.id !== id));
    this.secrets.delete(id);
  }

  /** JSON of every endpoint without secrets, for sharing with a colleague. */
  exportJson(): string {
    return JSON.stringify({ format: 'asterisk-tap-endpoints', version: 1, endpoints: this.list().map(({ id: _id, ...rest }) => rest) }, null, 2);
  }

  /** Adds the valid endpoints of an export; invalid ones are reported, not added. */
  importJson(text: string): ImportResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CodedError('import-invalid', 'The file is not JSON. Choose a file exported by Asterisk Tap.');
    }
    const list = (parsed as { endpoints?: unknown })?.endpoints;
    if (!Array.isArray(list)) throw new CodedError('import-invalid', 'The file has no "endpoints" list. Choose a file exported by Asterisk Tap.');
    const result: ImportResult = { added: [], rejected: [] };
    for (const item of list) {
      const candidate = { headers: {}, allowSelfSigned: false, ...(item as object), id: randomUUID() };
      const problems = validateEndpoint(candidate);
      if (problems.length > 0) {
        result.rejected.push({ name: String((item as { name?: unknown })?.name ?? '(unnamed)'), problems: problems.map((p) => p.message) });
        continue;
      }
      const endpoint = candidate as Endpoint;
      this.backend.set('endpoints', [...this.list(), endpoint]);
      result.added.push(endpoint);
    }
    return result;
  }

  private toEndpoint(id: string, input: EndpointInput): Endpoint {
    const endpoint: Endpoint = { id, name: input.name?.trim(), wsUrl: input.wsUrl?.trim(), headers: input.headers ?? {}, allowSelfSigned: input.allowSelfSigned === true };
    if (input.ariUrl?.trim()) endpoint.ariUrl = input.ariUrl.trim();
    if (input.ariUser?.trim()) endpoint.ariUser = input.ariUser.trim();
    if (input.authUser?.trim()) endpoint.authUser = input.authUser.trim();
    if (input.transport !== undefined) endpoint.transport = input.transport;
    const problems = validateEndpoint(endpoint);
    if (problems.length > 0) throw new EndpointValidationError(problems);
    return endpoint;
  }

  private storeSecrets(id: string, input: EndpointInput): void {
    if (input.ariPassword !== undefined) this.secrets.set(id, 'ariPassword', input.ariPassword);
    if (input.authPassword !== undefined) this.secrets.set(id, 'authPassword', input.authPassword);
  }
}

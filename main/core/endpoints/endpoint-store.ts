import { randomUUID } from 'node:crypto';
import { fileStamp } from '../common/file-names.ts';
import { existsSync, renameSync } from 'node:fs';
import { CodedError } from '../common/coded-error.ts';
import { FileTooLargeError, readSmallFileSync } from '../common/safe-write.ts';
import { headerSecretKind, isSecretHeader } from './secret-headers.ts';
import { validateEndpoint, isValidStoreFile, type Endpoint, type EndpointInput, type FieldError } from './endpoint-schema.ts';
import type { SecretKind, SecretStore } from './secret-store.ts';

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
    ok = isValidStoreFile(JSON.parse(readSmallFileSync(path, MAX_STORE_BYTES)));
  } catch (err) {
    if (err instanceof FileTooLargeError) {
      // Not read at all: a list of endpoints is never this large, and reading it could exhaust memory.
      const aside = `${path}.too-large-${fileStamp()}`;
      renameSync(path, aside);
      return `The endpoint file ${path} is ${(err.bytes / 1048576).toFixed(1)} MB, more than the ${MAX_STORE_BYTES / 1048576} MB an endpoint list can take (file-too-large); it was not read. It was kept as ${aside} and a new empty list was started.`;
    }
    ok = false;
  }
  if (ok) return undefined;
  const backup = `${path}.corrupt-${fileStamp()}`;
  renameSync(path, backup);
  return `The endpoint file ${path} was damaged or not in the expected format. It was kept as ${backup} and a new empty list was started.`;
}

/** The endpoint file is read whole: larger ones are refused before reading (bounded memory). */
export const MAX_STORE_BYTES = 8 * 1024 * 1024;

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
      headers: this.headersFor(id),
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

  /**
   * An endpoint's headers as a tap sends them: secret-looking ones (kept empty in the file)
   * with their values from the secret store.
   */
  headersFor(id: string): Record<string, string> {
    const headers = { ...this.get(id)?.headers };
    for (const name of Object.keys(headers)) {
      if (isSecretHeader(name)) headers[name] = this.secrets.get(id, headerSecretKind(name)) ?? headers[name]!;
    }
    return headers;
  }

  /**
   * Moves secret-looking header values an older version kept in the endpoint file into the
   * secret store (run at start). Returns a notice when any were moved.
   */
  migrateSecretHeaders(): string | undefined {
    let moved = 0;
    const endpoints = this.list().map((ep) => {
      for (const [name, value] of Object.entries(ep.headers)) {
        if (!isSecretHeader(name) || value === '') continue;
        this.secrets.set(ep.id, headerSecretKind(name), value);
        ep.headers[name] = '';
        moved++;
      }
      return ep;
    });
    if (moved === 0) return undefined;
    this.backend.set('endpoints', endpoints);
    return `Asterisk Tap moved ${moved} header value${moved === 1 ? '' : 's'} that look like credentials (Authorization, tokens, keys, cookies …) out of ${this.backend.path} into its secrets store.`;
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
      const headers = endpoint.headers;
      endpoint.headers = blankSecretHeaders(headers);
      this.backend.set('endpoints', [...this.list(), endpoint]);
      this.storeSecrets(endpoint.id, { ...endpoint, headers });
      result.added.push(endpoint);
    }
    return result;
  }

  private toEndpoint(id: string, input: EndpointInput): Endpoint {
    const endpoint: Endpoint = { id, name: input.name?.trim(), wsUrl: input.wsUrl?.trim(), headers: blankSecretHeaders(input.headers ?? {}), allowSelfSigned: input.allowSelfSigned === true };
    if (input.ariUrl?.trim()) endpoint.ariUrl = input.ariUrl.trim();
    if (input.ariUser?.trim()) endpoint.ariUser = input.ariUser.trim();
    if (input.authUser?.trim()) endpoint.authUser = input.authUser.trim();
    if (input.transport !== undefined) endpoint.transport = input.transport;
    const problems = validateEndpoint(endpoint);
    if (problems.length > 0) throw new EndpointValidationError(problems);
    return endpoint;
  }

  /**
   * Passwords given are kept (undefined: unchanged). A secret header with a value replaces its
   * secret; with an empty value (the form shows secrets empty) keeps it; one no longer listed
   * is forgotten.
   */
  private storeSecrets(id: string, input: EndpointInput): void {
    if (input.ariPassword !== undefined) this.secrets.set(id, 'ariPassword', input.ariPassword);
    if (input.authPassword !== undefined) this.secrets.set(id, 'authPassword', input.authPassword);
    const headers = input.headers ?? {};
    const listed = new Set<SecretKind>(Object.keys(headers).filter(isSecretHeader).map(headerSecretKind));
    for (const kind of this.secrets.kinds(id)) if (kind.startsWith('header:') && !listed.has(kind)) this.secrets.set(id, kind, undefined);
    for (const [name, value] of Object.entries(headers)) if (isSecretHeader(name) && value !== '') this.secrets.set(id, headerSecretKind(name), value);
  }
}

/** The headers as the endpoint file keeps them: secret-looking values emptied. */
function blankSecretHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretHeader(k) ? '' : v]));
}

import { Ajv, type ErrorObject } from 'ajv';
import { TRANSPORT_CHOICES, type EndpointFields } from '../../../preload/contract.ts';
import { parseWsUrl } from '../tap/ws-url.ts';

/** A saved Asterisk endpoint (the contract's fields). Secrets are never part of it: see SecretStore. */
export type Endpoint = EndpointFields;

/** The endpoint fields a person edits, plus secrets that go to the SecretStore. */
export type EndpointInput = Omit<Endpoint, 'id'> & { ariPassword?: string; authPassword?: string };

const HEADER_NAME = '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$';

/** The one JSON schema for an endpoint: used by the store files, imports and the edit form. */
export const ENDPOINT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'wsUrl', 'headers', 'allowSelfSigned'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    wsUrl: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^(wss?|https?)://' },
    ariUrl: { type: 'string', maxLength: 2048, pattern: '^(https?://.+)?$' },
    ariUser: { type: 'string', maxLength: 256 },
    authUser: { type: 'string', maxLength: 256 },
    headers: {
      type: 'object',
      maxProperties: 32,
      propertyNames: { pattern: HEADER_NAME, not: { pattern: '^(?:[Cc][Hh][Aa][Nn][Nn][Ee][Ll]-[Ii][Dd]|[Ss][Ee][Cc]-[Ww][Ee][Bb][Ss][Oo][Cc][Kk][Ee][Tt]-.*|[Hh][Oo][Ss][Tt]|[Uu][Pp][Gg][Rr][Aa][Dd][Ee]|[Cc][Oo][Nn][Nn][Ee][Cc][Tt][Ii][Oo][Nn])$' } },
      additionalProperties: { type: 'string', maxLength: 4096, pattern: '^[^\\r\\n]*$' },
    },
    allowSelfSigned: { type: 'boolean' },
    transport: { type: 'string', enum: [...TRANSPORT_CHOICES] },
  },
} as const;

/** The store file: a version and the list. */
export const STORE_SCHEMA = {
  schemaVersion: { type: 'number', const: 1 },
  endpoints: { type: 'array', maxItems: 1000, items: ENDPOINT_SCHEMA },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateEndpointShape = ajv.compile(ENDPOINT_SCHEMA);
const validateStoreShape = ajv.compile({ type: 'object', required: ['schemaVersion', 'endpoints'], properties: STORE_SCHEMA });

/** A problem with one field, for showing next to that field. */
export interface FieldError {
  field: string;
  message: string;
}

function fieldOf(err: ErrorObject): string {
  const path = err.instancePath.split('/').filter(Boolean);
  if (err.keyword === 'required') return String((err.params as { missingProperty?: string }).missingProperty ?? '');
  if (err.keyword === 'additionalProperties') return String((err.params as { additionalProperty?: string }).additionalProperty ?? '');
  return path[0] ?? '';
}

const FIELD_MESSAGES: Record<string, string> = {
  id: 'Internal id is missing or malformed.',
  name: 'Give the endpoint a name (1 to 100 characters).',
  wsUrl: 'Enter the websocket URL, e.g. ws://pbx:8088/ws or wss://pbx:8089/ws.',
  ariUrl: 'Enter ARI as http(s)://host:8088/ari, or leave it empty.',
  headers: 'Header names must be plain tokens (no Channel-ID, Host, Upgrade, Connection or Sec-WebSocket-*), values one line each.',
  allowSelfSigned: 'Choose whether self-signed certificates are allowed.',
  transport: 'Choose stream-channel, ari-media or auto.',
};

/** Validates an endpoint against the schema and the URL rules; returns per-field messages. */
export function validateEndpoint(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!validateEndpointShape(value)) {
    for (const err of validateEndpointShape.errors ?? []) {
      const field = fieldOf(err);
      if (errors.some((e) => e.field === field)) continue;
      errors.push({ field, message: FIELD_MESSAGES[field] ?? `${field || 'endpoint'}: ${err.message ?? 'invalid'}` });
    }
    return errors;
  }
  const ep = value as Endpoint;
  try {
    parseWsUrl(ep.wsUrl);
  } catch (err) {
    errors.push({ field: 'wsUrl', message: (err as Error).message });
  }
  if (ep.ariUrl) {
    try {
      new URL(ep.ariUrl);
    } catch {
      errors.push({ field: 'ariUrl', message: FIELD_MESSAGES['ariUrl']! });
    }
    if (!ep.ariUser) errors.push({ field: 'ariUser', message: 'ARI needs a user name (from ari.conf).' });
  }
  if (ep.transport === 'ari-media' && !ep.ariUrl) errors.push({ field: 'transport', message: 'The ari-media transport needs the ARI URL and user.' });
  return errors;
}

/** True when a parsed store file has the expected shape. */
export function isValidStoreFile(value: unknown): boolean {
  return validateStoreShape(value) && ((value as { endpoints: unknown[] }).endpoints).every((e) => validateEndpoint(e).length === 0);
}

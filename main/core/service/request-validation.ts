import { TRANSPORT_CHOICES, type InvokeChannel, type InvokeMap } from '../../../preload/contract.ts';
import { CodedError } from '../common/coded-error.ts';

/** Thrown when a request across the bridge is not what the contract says. */
export class BadRequestError extends CodedError<'bad-request'> {
  constructor(channel: string, what: string) {
    super('bad-request', `Invalid request for ${channel}: ${what}.`);
  }
}

type Check = (v: unknown) => string | undefined;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (max: number, optional = false): Check => (v) =>
  v === undefined && optional ? undefined : typeof v === 'string' && v.length <= max ? undefined : `must be a string of at most ${max} characters`;
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const headers: Check = (v) =>
  isObj(v) && Object.keys(v).length <= 32 && Object.values(v).every((x) => typeof x === 'string' && x.length <= 4096) ? undefined : 'must be up to 32 text headers';
const strings: Check = (v) =>
  Array.isArray(v) && v.length >= 1 && v.length <= 16 && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 256) ? undefined : 'must be 1 to 16 channel names';

const ms: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 7 * 24 * 3600 * 1000 ? undefined : 'must be a time in ms within a week');
const optMs: Check = (v) => (v === undefined ? undefined : ms(v));
/** A list of at most `max` items, each checked by `item`. */
const list = (max: number, item: Check): Check => (v) => {
  if (!Array.isArray(v) || v.length > max) return `must be a list of at most ${max} items`;
  for (const [i, x] of v.entries()) {
    const problem = item(x);
    if (problem) return `item ${i + 1} ${problem}`;
  }
  return undefined;
};

function shape(fields: Record<string, Check>): Check {
  return (v) => {
    if (!isObj(v)) return 'must be an object';
    for (const key of Object.keys(v)) if (!(key in fields)) return `has an unknown field "${key}"`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key]);
      if (problem) return `${key} ${problem}`;
    }
    return undefined;
  };
}
const none: Check = (v) => (v === undefined || v === null ? undefined : 'takes no argument');

const CHECKS: Record<InvokeChannel, Check> = {
  'app:info': none,
  'endpoints:list': none,
  'endpoints:save': shape({
    id: str(64, true),
    name: str(100),
    wsUrl: str(2048),
    ariUrl: str(2048, true),
    ariUser: str(256, true),
    ariPassword: str(1024, true),
    authUser: str(256, true),
    authPassword: str(1024, true),
    headers,
    allowSelfSigned: bool,
    transport: (v) => (v === undefined || (TRANSPORT_CHOICES as readonly unknown[]).includes(v) ? undefined : `must be ${TRANSPORT_CHOICES.join(', ')}`),
  }),
  'endpoints:delete': shape({ id: str(64) }),
  'endpoints:duplicate': shape({ id: str(64) }),
  'endpoints:test': shape({ id: str(64), channel: str(256, true) }),
  'channels:list': shape({ endpointId: str(64) }),
  'tap:open': shape({ endpointId: str(64), channels: strings, title: str(200, true) }),
  'tap:stop': shape({ tapId: str(64) }),
  'tap:record': shape({ tapId: str(64), on: bool, mode: (v) => (v === undefined || v === 'legs' || v === 'call' || v === 'call+legs' ? undefined : 'must be legs, call or call+legs') }),
  'tap:marker': shape({ tapId: str(64), label: str(200, true) }),
  'tap:list': none,
  'tap:findings': none,
  'recordings:list': none,
  'recordings:rename': shape({ name: str(255), newName: str(255) }),
  'recordings:delete': shape({ name: str(255) }),
  'recordings:open': shape({ name: str(255) }),
  'recordings:saveMarkers': shape({ name: str(255), markers: list(1000, shape({ atMs: ms, endMs: optMs, label: str(200) })) }),
  'recordings:export': shape({ name: str(255), clips: (v) => (Array.isArray(v) && v.length === 0 ? 'must hold at least one clip' : list(200, shape({ startMs: ms, endMs: ms, label: str(200, true) }))(v)) }),
  'recordings:cancelExport': shape({ jobId: str(64) }),
  'recordings:analyze': shape({ name: str(255) }),
  'recordings:reveal': shape({ name: str(255) }),
  'recordings:setFolder': shape({ path: str(4096, true) }),
  'tap:saveReplay': shape({ tapId: str(64), seconds: (v) => (v === undefined || (typeof v === 'number' && v >= 1 && v <= 120) ? undefined : 'must be 1 to 120 seconds') }),
  'app:setCommands': shape({
    commands: (v) =>
      Array.isArray(v) && v.length <= 200 && v.every((c) => isObj(c) && typeof c['id'] === 'string' && typeof c['title'] === 'string' && (c['keybinding'] === null || typeof c['keybinding'] === 'string'))
        ? undefined
        : 'must be a list of {id, title, keybinding}',
  }),
};

/** Checks a request against the contract; throws {@link BadRequestError}. */
export function validateRequest<C extends InvokeChannel>(channel: C, req: unknown): InvokeMap[C]['req'] {
  const problem = CHECKS[channel](req);
  if (problem) throw new BadRequestError(channel, problem);
  return req as InvokeMap[C]['req'];
}

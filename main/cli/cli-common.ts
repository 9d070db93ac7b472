import { closeSync, openSync, writeSync } from 'node:fs';
import { isatty as ttyIsatty } from 'node:tty';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CodedError } from '../core/common/coded-error.ts';
import type { StreamChannelOptions } from '../core/tap/stream-channel-client.ts';
import type { TransportChoice, TransportRequest } from '../core/tap/create-transport.ts';
import { TRANSPORT_CHOICES } from '../../preload/contract.ts';
import type { TapReason } from '../core/tap/tap-reasons.ts';

/** Documented exit codes (README): scripts depend on them. */
export const EXIT = { ok: 0, error: 1, usage: 2, connection: 3, noAudio: 4 } as const;

/** Exit code for how a tap finished. */
export function exitCodeFor(reason: TapReason | null, frames: number): number {
  if (reason === 'channel-not-found') return EXIT.noAudio;
  if (reason === 'call-ended' || reason === 'closed-by-user' || reason === null) return frames > 0 ? EXIT.ok : EXIT.noAudio;
  return EXIT.connection;
}

export class UsageError extends CodedError<'usage'> {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Writes a line to stderr (progress and diagnostics never mix with --json output on stdout). */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Writes a command's result to stdout and closes it, so a script reading it (`probe --json | jq`,
 * `$(…)`) gets its end at once while the process may still drain a socket. Written with fd calls
 * and never through `process.stdout`, whose stream cannot close fd 1. On a terminal nothing is closed.
 */
export function writeResult(text: string): void {
  let buf = Buffer.from(text);
  try {
    while (buf.length > 0) buf = buf.subarray(writeSync(1, buf));
  } catch {
    return; // the reader went away (EPIPE): nothing left to tell it
  }
  try {
    if (ttyIsatty(1)) return;
    closeSync(1);
    // Keep fd 1 taken, so a later socket or file cannot become "stdout".
    openSync('/dev/null', 'w');
  } catch {
    // stdout stays open; the result is complete anyway
  }
}

/** parseArgs with usage errors turned into {@link UsageError}. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required.`);
  return value;
}

export function numberOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} must be a number from ${min} to ${max} (got "${value}").`);
  return n;
}

/**
 * A URL flag must carry its scheme: "127.0.0.1:1234" is a usage error (exit 2) that names the
 * form expected, not a connection failure.
 */
export function checkUrlFlag(value: string | undefined, flag: string, schemes: string[]): void {
  if (value === undefined) return;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value.trim())?.[1]?.toLowerCase();
  if (scheme !== undefined && schemes.includes(scheme)) return;
  const example = schemes[0] === 'ws' ? 'ws://HOST:8088/ws' : 'http://HOST:8088/ari';
  throw new UsageError(`${flag} takes a URL with its scheme (${schemes.map((s) => `${s}://`).join(', ')}), e.g. ${example} (got "${value}").`);
}

/** Options shared by every command that opens a stream-channel tap. */
export const TAP_FLAGS = {
  url: { type: 'string' },
  channel: { type: 'string' },
  header: { type: 'string', multiple: true },
  'proxy-user': { type: 'string' },
  'proxy-password': { type: 'string' },
  insecure: { type: 'boolean' },
  'force-close': { type: 'boolean' },
  transport: { type: 'string' },
  ari: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  direction: { type: 'string' },
} as const;

type TapFlagValues = { url?: string; channel?: string; header?: string[]; 'proxy-user'?: string; 'proxy-password'?: string; insecure?: boolean; transport?: string; ari?: string; user?: string; password?: string; direction?: string };

/** The transport request the tap flags describe (stream-channel, ari-media or auto). */
export function transportRequest(values: TapFlagValues): TransportRequest {
  const choice = (values.transport ?? 'stream-channel') as TransportChoice;
  if (!TRANSPORT_CHOICES.includes(choice)) throw new UsageError(`--transport is stream-channel, ari-media or auto (got "${values.transport}").`);
  const direction = values.direction ?? 'in';
  if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw new UsageError(`--direction is in, out or both (got "${direction}").`);
  if (direction === 'both' && choice === 'stream-channel') throw new UsageError('--direction both needs --transport ari-media (res_ari_stream streams one direction only).');
  const req: TransportRequest = { choice, channel: required(values.channel, '--channel'), direction: direction === 'both' ? 'in' : direction };
  if (values.ari) req.ari = { url: values.ari, user: required(values.user, '--user (ARI)'), password: required(values.password, '--password (ARI)') };
  if (choice === 'ari-media' && !req.ari) throw new UsageError('--transport ari-media needs --ari URL --user U --password P.');
  if (values.url) {
    const { channel: _c, ...stream } = tapOptions(values);
    req.stream = stream;
  } else if (choice === 'stream-channel') required(values.url, '--url');
  return req;
}

export function tapOptions(values: TapFlagValues): StreamChannelOptions {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header takes "Name: value" (got "${h}").`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const opts: StreamChannelOptions = { url: required(values.url, '--url'), channel: required(values.channel, '--channel'), headers };
  if (values['proxy-user'] !== undefined) opts.basicAuth = { user: values['proxy-user'], password: values['proxy-password'] ?? '' };
  if (values.insecure) opts.allowSelfSigned = true;
  return opts;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

/** Calls `first` on the first SIGINT/SIGTERM and `again` on each later one (a person pressing again). */
export function onInterrupt(first: () => void, again: () => void): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) first();
    else again();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * Every stable error code, in one registry. A code crosses IPC and the web host's socket, appears
 * in the CLI's JSON output and maps to its exit codes, so it is never renamed; a new failure gets
 * a new code here (the type makes an unregistered code a compile error).
 */
export const ERROR_CODES = [
  // Requests across the bridge.
  'bad-request',
  'too-large',
  'busy',
  'forbidden',
  'internal',
  'bridge-unavailable',
  'bridge-closed',
  'usage',
  // Endpoints.
  'endpoint-not-found',
  'endpoint-builtin',
  'endpoint-invalid',
  'import-invalid',
  'file-too-large',
  // ARI.
  'ari-invalid-url',
  'ari-unauthorized',
  'ari-not-found',
  'ari-unreachable',
  'ari-timeout',
  'ari-bad-response',
  'ari-not-configured',
  // Taps: why a tap ended (channel-not-found, call-ended, closed-by-user) or failed.
  'channel-not-found',
  'call-ended',
  'closed-by-user',
  'invalid-url',
  'dns',
  'refused',
  'timeout',
  'tls',
  'protocol',
  'connection-lost',
  'unauthorized',
  'unsupported',
  'media-window',
  'tap-not-found',
  // Recording and instant replay.
  'record-call-legs',
  'record-open-failed',
  'record-write-failed',
  'record-too-large',
  'replay-empty',
  'replay-save-failed',
  // Recordings folder, review and export.
  'recordings-folder',
  'recording-name',
  'recording-exists',
  'reveal-unavailable',
  'wav-unreadable',
  'wav-not-wav',
  'wav-malformed',
  'wav-unsupported',
  'wav-truncated',
  'export-range',
  'export-target',
  'export-short',
  'export-failed',
  'export-cancelled',
] as const;

/** A stable error code: one of {@link ERROR_CODES}, or an HTTP status a server answered with. */
export type ErrorCode = (typeof ERROR_CODES)[number] | `http-${number}` | `ari-http-${number}`;

/** True for a code in the registry (or an HTTP status code of that form). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ((ERROR_CODES as readonly string[]).includes(value) || /^(ari-)?http-\d{3}$/.test(value));
}

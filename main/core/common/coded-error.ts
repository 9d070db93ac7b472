import type { ErrorCode } from '../../../preload/error-codes.ts';

/**
 * An error with a stable machine-readable code and a message a person can act on. The code is
 * what crosses process boundaries (IPC, web socket, CLI exit codes), from the one registry
 * (preload/error-codes.ts); the message is for people.
 */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly detail: string | undefined;

  constructor(code: C, message: string, options?: { cause?: unknown; detail?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.detail = options?.detail;
  }

  /** A plain object that survives structured cloning and JSON. */
  toJSON(): { code: C; message: string; detail?: string } {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isCodedError(value: unknown): value is CodedError {
  return value instanceof CodedError;
}

/** Best-effort text of an unknown thrown value, for wrapping foreign errors. */
export function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(SYSTEM_ERRORS, code)) return `${SYSTEM_ERRORS[code]} (${code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** What the file-system errors people meet mean, in words they can act on. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOENT: 'the folder or file does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'that is a folder, not a file',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported an input/output error',
};

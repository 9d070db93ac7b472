/**
 * An error with a stable machine-readable code and a message a person can act on. The code is
 * what crosses process boundaries (IPC, web socket, CLI exit codes); the message is for people.
 */
export class CodedError<C extends string = string> extends Error {
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
  if (err instanceof Error) return err.message;
  return String(err);
}

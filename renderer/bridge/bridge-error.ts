import type { BridgeError } from '../../preload/contract.ts';

/** An error rebuilt on this side of the bridge, with the code main gave it. */
export class RemoteError extends Error {
  readonly code: string;
  readonly fields: { field: string; message: string }[];
  constructor(err: BridgeError) {
    super(err.message);
    this.name = 'RemoteError';
    this.code = err.code;
    this.fields = err.fields ?? [];
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

import type { BridgeError } from '../../../preload/contract.ts';
import { isCodedError } from '../common/coded-error.ts';
import { EndpointValidationError } from '../endpoints/endpoint-store.ts';

/** Turns anything thrown into what crosses the bridge. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof EndpointValidationError) return { code: err.code, message: err.message, fields: err.fields };
  if (isCodedError(err)) return { code: err.code, message: err.message };
  return { code: 'internal', message: `Something went wrong inside the app: ${err instanceof Error ? err.message : String(err)}` };
}


import type { Disposable } from '../common/disposable.ts';

/** An exception nothing caught, or a rejection nothing handled. */
export interface Fault {
  kind: 'uncaught-exception' | 'unhandled-rejection';
  error: unknown;
  /** One line for people: what happened and that the app keeps running. */
  message: string;
  /** The error's stack (or its text when it has none). */
  stack: string;
}

export interface CrashGuardOptions {
  /** Where the full report (with the stack) goes: stderr, a log file. */
  log: (text: string) => void;
  /** Tells the user (the Output panel, a dialog); may be absent for plain CLI commands. */
  onFault?: (fault: Fault) => void;
}

/** Faults after this many in a minute are counted, not each logged in full (a fault in a timer would flood the log). */
const FULL_REPORTS_PER_MINUTE = 20;

const guards: CrashGuardOptions[] = [];
let windowStart = 0;
let inWindow = 0;
let suppressed = 0;

function describe(kind: Fault['kind'], error: unknown): Fault {
  const text = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `(not an Error) ${String(error)}`;
  const what = kind === 'uncaught-exception' ? 'An unexpected error' : 'An unexpected failure in background work';
  return { kind, error, stack, message: `${what} happened inside Asterisk Tap: ${text}. The app keeps running and its connections to Asterisk stay open; if something no longer works, restart it once your calls have ended.` };
}

function report(kind: Fault['kind'], error: unknown): void {
  const guard = guards.at(-1);
  if (!guard) return;
  const now = Date.now();
  if (now - windowStart > 60_000) {
    if (suppressed > 0) safely(() => guard.log(`asterisk-tap: ${suppressed} more unexpected errors in the last minute were not logged in full.`));
    windowStart = now;
    inWindow = 0;
    suppressed = 0;
  }
  if (++inWindow > FULL_REPORTS_PER_MINUTE) {
    suppressed++;
    return;
  }
  const fault = describe(kind, error);
  safely(() => guard.log(`asterisk-tap: ${kind}: ${fault.stack}`));
  safely(() => guard.onFault?.(fault));
}

/** The guard's own reporting must never raise a second fault. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Nothing left to tell: the log itself failed.
  }
}

const onException = (error: unknown): void => report('uncaught-exception', error);
const onRejection = (error: unknown): void => report('unhandled-rejection', error);

/**
 * The last line of defence, deliberately chosen over Node's default (print and exit): a process
 * that exits closes its sockets, and a stream-channel socket closed by the client while its call
 * is up wedges or aborts Asterisk (res_ari_stream). So an exception nothing caught, or a rejection
 * nothing handled, is logged with its stack, the user is told, and the process keeps running:
 *
 * - kept: every tap, its sockets (they go on draining), recordings, the endpoint store; the
 *   fault came from one request, timer or callback, whose own work is what was lost;
 * - restarted: nothing automatically; the message asks for a restart once calls have ended
 *   (a quit still waits for stream-channel calls to end, as always);
 * - a storm of faults is counted after 20 a minute instead of flooding the log.
 *
 * One guard reports at a time: the innermost host (e.g. `serve`, which also tells every browser
 * tab) replaces the CLI's plain one until disposed.
 */
export function installCrashGuard(opts: CrashGuardOptions): Disposable {
  if (guards.length === 0) {
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
  }
  guards.push(opts);
  return {
    dispose(): void {
      const i = guards.lastIndexOf(opts);
      if (i >= 0) guards.splice(i, 1);
      if (guards.length === 0) {
        process.removeListener('uncaughtException', onException);
        process.removeListener('unhandledRejection', onRejection);
      }
    },
  };
}

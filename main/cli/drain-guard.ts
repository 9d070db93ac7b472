import { say } from './cli-common.ts';

/** What a command does when asked to stop, and what a confirmed force close does. */
export interface GuardHandlers {
  /** Finish the work at hand (save the file, print the result). Never closes a socket. */
  stop: () => void;
  /** Close every socket now, whatever the risk. Only after a deliberate confirmation. */
  force: () => void;
}

/** The word a person types (then Enter) to confirm a force close after a second Ctrl+C. */
export const FORCE_WORD = 'close';

export const FORCE_RISK =
  'Closing a stream-channel connection first while its call is up can crash or wedge Asterisk (res_ari_stream): ' +
  'seen on a real server as a call that could not be hung up and a PBX only SIGKILL ended.';

/**
 * Owns SIGINT, SIGTERM and SIGHUP for the whole life of a command that may hold stream-channel
 * sockets, because a signal's default action kills the process, and a dying process closes its
 * sockets first. Installed before the first socket opens and never removed.
 *
 * - SIGINT (first), SIGTERM, SIGHUP: `stop` (finish the result), then keep draining until the
 *   server closes. SIGHUP is a dropped terminal or SSH session: nobody is left to confirm anything.
 * - SIGINT (second): prints the risk and waits for the word "close" typed on stdin; only that,
 *   or `--force-close` given up front, closes first.
 */
export class DrainGuard {
  private handlers: GuardHandlers | undefined;
  private stopPending = false;
  private interrupts = 0;
  private asking = false;
  private confirmed = false;
  private readonly onSigint = (): void => this.interrupt();
  private readonly onSigterm = (): void => this.terminate('SIGTERM');
  private readonly onSighup = (): void => this.terminate('SIGHUP');

  install(): this {
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm);
    process.on('SIGHUP', this.onSighup);
    // A terminal that went away (SIGHUP) fails later writes with EIO/EPIPE: that must not end the process.
    process.stderr.on('error', () => undefined);
    return this;
  }

  /** What stop and force mean now; a stop asked before this runs at once. */
  set(handlers: GuardHandlers): void {
    this.handlers = handlers;
    if (this.stopPending) handlers.stop();
  }

  /** True once a stop was asked by any signal. */
  get stopRequested(): boolean {
    return this.stopPending;
  }

  /** Releases stdin so the process can exit once its sockets are closed. */
  dispose(): void {
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
    process.off('SIGHUP', this.onSighup);
    if (this.asking) process.stdin.destroy();
  }

  private requestStop(): void {
    if (this.stopPending) return;
    this.stopPending = true;
    this.handlers?.stop();
  }

  private terminate(signal: 'SIGTERM' | 'SIGHUP'): void {
    const first = !this.stopPending;
    this.requestStop();
    if (signal === 'SIGHUP') say(`SIGHUP (the terminal went away): ${first ? 'finishing, then ' : ''}waiting for the calls to end before closing; nothing is closed first.`);
    else if (!first) say('SIGTERM again: still waiting for the calls to end before closing (only --force-close or a confirmed Ctrl+C closes first).');
  }

  private interrupt(): void {
    this.interrupts++;
    if (!this.stopPending) {
      this.requestStop();
      return;
    }
    if (this.confirmed) return;
    say(`${FORCE_RISK}\nTo close anyway, type "${FORCE_WORD}" and press Enter. Anything else keeps waiting for the calls to end.`);
    this.askForConfirmation();
  }

  private askForConfirmation(): void {
    if (this.asking) return;
    this.asking = true;
    let line = '';
    const stdin = process.stdin;
    stdin.setEncoding('utf8');
    stdin.on('error', () => undefined);
    stdin.on('data', (chunk: string) => {
      line += chunk;
      let nl: number;
      while ((nl = line.indexOf('\n')) >= 0) {
        const typed = line.slice(0, nl).trim();
        line = line.slice(nl + 1);
        if (typed === FORCE_WORD && !this.confirmed) {
          this.confirmed = true;
          say('Closing now, as confirmed.');
          this.handlers?.force();
        } else if (!this.confirmed) say(`Not "${FORCE_WORD}": still waiting for the calls to end.`);
      }
    });
    stdin.on('end', () => {
      if (!this.confirmed) say('No confirmation can be typed (stdin is closed): waiting for the calls to end.');
    });
  }
}

/** The one guard of this process (asterisk-tap.ts installs it for commands that hold sockets). */
export const processGuard = new DrainGuard();

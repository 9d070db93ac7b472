/**
 * Quitting the app without closing a stream-channel socket first. The desktop shell (and any
 * host) only supplies the dialog and the window/lock operations; the order lives here, so it runs
 * and is tested under plain Node.
 *
 * Order: (1) count what quitting would have to close first on real PBXs, before touching
 * anything; (2) if there is any, ask, with "stay" as the default (nothing is stopped, the window
 * stays, the user decides later); (3) stop every tap (detach, drain); (4) stop the demo PBX, which
 * hangs its calls up, so its taps end by the server's close; (5) wait for the closes; whatever
 * is left is real: wait for it in the background (lock released) or, on an explicit choice,
 * force it.
 */

/** What the service must offer the quit flow (TapService does). */
export interface QuitService {
  atRiskCount(): number;
  /** Stops every tap; resolves when all sockets closed or `ms` passed, with how many are left. */
  shutdown(ms: number): Promise<number>;
  forceCloseAll(): void;
  dispose(): void;
}

/** stay: do not quit (the default). wait: quit when the calls end. force: close now, whatever the risk. */
export type QuitChoice = 'stay' | 'wait' | 'force';

export interface QuitHost {
  /** Asks what to do about `count` open connections; must answer 'stay' when dismissed. */
  ask(count: number): Promise<QuitChoice>;
  /** Before waiting in the background: hide windows, release the single-instance lock. */
  enterBackground(count: number): void;
  /** Progress for a person or a log. */
  log?(message: string): void;
}

export interface QuitOptions {
  /** How long the demo PBX's hangup closes may take to land. */
  settleMs?: number;
  /** How long to wait in the background before checking again (the wait itself has no limit). */
  pollMs?: number;
}

export type QuitResult = { quit: false } | { quit: true; forced: boolean; waitedInBackground: boolean };

/** Runs the quit order; resolves `{ quit: false }` when the user chose to stay (nothing was stopped). */
export async function runQuitFlow(service: QuitService, demoPbx: { stop(): Promise<void> } | undefined, host: QuitHost, opts: QuitOptions = {}): Promise<QuitResult> {
  const atRisk = service.atRiskCount();
  let choice: QuitChoice = 'wait';
  if (atRisk > 0) {
    choice = await host.ask(atRisk);
    if (choice === 'stay') return { quit: false };
  }
  await service.shutdown(0);
  await demoPbx?.stop();
  let left = await service.shutdown(opts.settleMs ?? 1000);
  let waited = false;
  let forced = false;
  if (left > 0 && choice === 'force') {
    forced = true;
    host.log?.(`Closing ${left} connection(s) first, as chosen.`);
    service.forceCloseAll();
    await service.shutdown(opts.settleMs ?? 1000);
  } else if (left > 0) {
    waited = true;
    host.enterBackground(left);
    while (left > 0) left = await service.shutdown(opts.pollMs ?? 60_000);
  }
  service.dispose();
  return { quit: true, forced, waitedInBackground: waited };
}

/** The dialog's words, shared by every host. */
export function quitQuestion(count: number): { message: string; detail: string; buttons: { label: string; choice: QuitChoice }[] } {
  return {
    message: `${count} stream-channel connection${count === 1 ? ' is' : 's are'} still open to Asterisk.`,
    detail:
      'Closing a stream-channel connection first while its call is up can crash or wedge Asterisk (res_ari_stream). ' +
      'Stay open (nothing changes), or quit when the calls end (the window closes, the app exits when Asterisk ends the last call), ' +
      'or close them now, which risks the PBX.',
    buttons: [
      { label: 'Stay open', choice: 'stay' },
      { label: 'Quit when the calls end', choice: 'wait' },
      { label: 'Close now (risks Asterisk)', choice: 'force' },
    ],
  };
}

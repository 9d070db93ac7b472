import { traitsOf, type TapTransport } from '../core/tap/tap-transport.ts';
import { say } from './cli-common.ts';
import { FORCE_WORD } from './drain-guard.ts';

/**
 * Waits until Asterisk closes the stream (at hangup) instead of closing it from here, which
 * crashes res_ari_stream while the call is up. With `force` (--force-close) it closes now. A
 * confirmed second Ctrl+C is handled by the process's DrainGuard, which calls `forceClose()`.
 */
export async function closeSafely(client: TapTransport, force: boolean): Promise<void> {
  client.stop();
  if (traitsOf(client).closesCleanly) {
    // chan_websocket closes cleanly: stop() already tore the tap down.
    await client.socketClosed;
    return;
  }
  if (!client.isSocketOpen) return;
  if (force) {
    say('Closing the connection now (--force-close). With res_ari_stream this can crash Asterisk while the call is up.');
    client.forceClose();
  } else {
    say(
      `Still connected to ${client.channel}: waiting for the call to end before closing, because closing first can crash Asterisk (res_ari_stream). ` +
        `Audio is discarded meanwhile. To close anyway: Ctrl+C twice, then type "${FORCE_WORD}" (or run with --force-close).`,
    );
  }
  await client.socketClosed;
}

/** {@link closeSafely} for every leg at once. */
export async function closeAllSafely(clients: TapTransport[], force: boolean): Promise<void> {
  await Promise.all(clients.map((c) => closeSafely(c, force)));
}

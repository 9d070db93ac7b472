import type { TapTransport } from '../core/tap/tap-transport.ts';
import { say } from './cli-common.ts';

/**
 * Waits until Asterisk closes the stream (at hangup) instead of closing it from here, which
 * crashes res_ari_stream while the call is up. With `force` it closes now. A further Ctrl+C is
 * handled by the caller, which calls `client.forceClose()`.
 */
export async function closeSafely(client: TapTransport, force: boolean): Promise<void> {
  client.stop();
  if (client.kind === 'ari-media') {
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
      'Still connected: waiting for the call to end before closing, because closing first can crash Asterisk (res_ari_stream). ' +
        'Audio is discarded meanwhile. Press Ctrl+C again (or use --force-close) to close now anyway.',
    );
  }
  await client.socketClosed;
}

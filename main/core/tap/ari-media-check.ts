import WebSocket from 'ws';
import { CodedError, describeError } from '../common/coded-error.ts';
import type { AriClient } from '../ari/ari-client.ts';
import type { AriAppInstance } from '../ari/ari-app-instance.ts';
import { parseMediaStart } from './ari-media-client.ts';

/** What one external media round trip showed. */
export interface ExternalMediaCheck {
  /** MEDIA_START's format and optimal frame size, e.g. "slin16, 640-byte frames". */
  media: string;
  /** ms from the POST to MEDIA_START. */
  ms: number;
}

/**
 * Proves the ari-media path end to end without tapping anything: one external media channel
 * (POST /channels/externalMedia), its /media/<id> websocket up to MEDIA_START, then the channel
 * deleted (Asterisk closes the socket: chan_websocket closes cleanly either way). Whatever
 * happens, the channel is deleted before this returns. The instance's events socket is held
 * meanwhile so its app is registered and no other instance takes the channel for a leftover.
 */
export async function externalMediaRoundTrip(ari: AriClient, instance: AriAppInstance, user: string, password: string, timeoutMs = 5000): Promise<ExternalMediaCheck> {
  const wsBase = ari.baseUrl.replace(/^http/, 'ws').replace(/\/ari$/, '');
  const lease = instance.events(wsBase, user, password, { event: () => undefined, lost: () => undefined });
  const channelId = `${instance.nextObjectBase()}-test`;
  let created = false;
  let ws: WebSocket | undefined;
  const started = Date.now();
  try {
    await lease.ready;
    const ext = (await ari.post('/channels/externalMedia', { app: instance.appName, transport: 'websocket', encapsulation: 'none', connection_type: 'server', format: 'slin16', channelId })) as { channelvars?: Record<string, unknown> } | undefined;
    created = true;
    const connectionId = ext?.channelvars?.['MEDIA_WEBSOCKET_CONNECTION_ID'];
    if (typeof connectionId !== 'string' || !/^[\w-]{1,128}$/.test(connectionId)) throw new CodedError('ari-bad-response', 'Asterisk created the external media channel but gave no usable MEDIA_WEBSOCKET_CONNECTION_ID.');
    const socket = new WebSocket(`${wsBase}/media/${connectionId}`, { perMessageDeflate: false, maxPayload: 64 * 1024 });
    ws = socket;
    socket.on('error', () => undefined);
    const fields = await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CodedError('ari-timeout', `No MEDIA_START within ${timeoutMs} ms on ${wsBase}/media/….`)), timeoutMs);
      socket.on('message', (data, isBinary) => {
        const f = isBinary ? undefined : parseMediaStart(String(data));
        if (f) {
          clearTimeout(timer);
          resolve(f);
        }
      });
      socket.once('unexpected-response', (_q, res) => {
        clearTimeout(timer);
        reject(new CodedError(`ari-http-${res.statusCode ?? 0}`, `The media websocket ${wsBase}/media/… answered HTTP ${res.statusCode}.`));
      });
      socket.once('close', () => {
        clearTimeout(timer);
        reject(new CodedError('ari-bad-response', 'The media websocket closed before MEDIA_START.'));
      });
    });
    return { media: `${fields['format'] ?? '?'}, ${fields['optimal_frame_size'] ?? '?'}-byte frames`, ms: Date.now() - started };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('ari-bad-response', `The external media round trip failed: ${describeError(err)}.`, { cause: err });
  } finally {
    if (created) await ari.delete(`/channels/${encodeURIComponent(channelId)}`).catch(() => undefined);
    if (ws) await closedOrClose(ws, 2000);
    lease.release();
  }
}

/** Waits for Asterisk to close the media socket after the delete; closes it after `ms` if not. */
function closedOrClose(ws: WebSocket, ms: number): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, ms);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

import type { ProbeView } from '../../../preload/contract.ts';
import type { AriClient } from '../ari/ari-client.ts';
import type { AriAppInstance } from '../ari/ari-app-instance.ts';
import { externalMediaRoundTrip } from '../tap/ari-media-check.ts';
import type { TransportChoice } from '../tap/create-transport.ts';
import { toBridgeError } from './bridge-error.ts';

export interface AriTestTarget {
  name: string;
  ari: AriClient;
  user: string;
  password: string;
  transport: TransportChoice;
  instance: AriAppInstance;
}

const STREAM_MODULE = 'res_ari_stream.so';
const MEDIA_MODULE = 'chan_websocket.so';

function view(verdict: string, summary: string, handshakeMs: number | null = null): ProbeView {
  return { verdict, summary, reason: null, handshakeMs, firstFrameMs: null, frames: 0 };
}

/**
 * The endpoint Test where ARI is configured: it asks ARI instead of opening a stream-channel
 * socket with a made-up channel (which makes res_ari_stream write an ERROR into the PBX's log
 * every time, part C). Credentials first (a 401 is a failed test, never an "OK"), then whether
 * the module the endpoint's transport needs is loaded (GET /asterisk/modules/{name}), and for
 * ari-media one external media round trip, cleaned up.
 */
export async function testOverAri(t: AriTestTarget): Promise<ProbeView> {
  let version: string;
  let channels: number;
  try {
    const info = (await t.ari.asteriskInfo()) as { system?: { version?: unknown } } | undefined;
    version = typeof info?.system?.version === 'string' ? info.system.version : '';
    channels = (await t.ari.channels()).length;
  } catch (err) {
    return view('ari-failed', `ARI: ${toBridgeError(err).message}`);
  }
  const asterisk = `Asterisk${version ? ` ${version}` : ''}`;
  const up = `${channels} channel${channels === 1 ? '' : 's'} up`;
  let stream: string | undefined;
  let media: string | undefined;
  try {
    [stream, media] = await Promise.all([t.ari.moduleStatus(STREAM_MODULE), t.ari.moduleStatus(MEDIA_MODULE)]);
  } catch (err) {
    return view('ari-failed', `ARI answers (${asterisk}) but could not say which modules are loaded: ${toBridgeError(err).message}`);
  }
  const loaded = (status: string | undefined): boolean => status !== undefined;
  const wantsMedia = t.transport === 'ari-media' || (t.transport === 'auto' && loaded(media));
  if (!wantsMedia) {
    if (!loaded(stream)) {
      const hint = loaded(media) ? ` ${MEDIA_MODULE} is loaded: choose the ari-media transport for this endpoint, or load res_ari_stream.` : ' Load it (module load res_ari_stream.so), or use an Asterisk 20.16+ with chan_websocket and the ari-media transport.';
      return view('unsupported', `${t.name}: ARI answers (${asterisk}, ${up}), but ${STREAM_MODULE} is not loaded, so /ws offers no stream-channel taps.${hint}`);
    }
    return view('reachable', `OK: ARI answers (${asterisk}, ${up}) and ${STREAM_MODULE} is loaded (${stream}): stream-channel taps on /ws will work. Tested through ARI only, so nothing was written to the PBX's log.`);
  }
  if (!loaded(media)) {
    const hint = loaded(stream) ? ` ${STREAM_MODULE} is loaded: choose the stream-channel transport instead.` : ' It needs Asterisk 20.16, 21.11, 22.6 or 23+ with chan_websocket loaded.';
    return view('unsupported', `${t.name}: ARI answers (${asterisk}, ${up}), but ${MEDIA_MODULE} is not loaded, so ari-media taps cannot work.${hint}`);
  }
  try {
    const check = await externalMediaRoundTrip(t.ari, t.instance, t.user, t.password);
    return view('reachable', `OK: ARI answers (${asterisk}, ${up}), ${MEDIA_MODULE} is loaded (${media}), and one external media channel connected in ${check.ms} ms (MEDIA_START: ${check.media}) and was removed: ari-media taps will work.`, check.ms);
  } catch (err) {
    return view('failed', `${t.name}: ${MEDIA_MODULE} is loaded, but the external media round trip failed: ${toBridgeError(err).message}`);
  }
}

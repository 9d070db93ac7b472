import type { ChannelListView, EndpointSaveRequest, EndpointView, ProbeView } from '../../../preload/contract.ts';
import { CodedError } from '../common/coded-error.ts';
import { AriClient } from '../ari/ari-client.ts';
import { formatParty, listCalls, secondsSince } from '../ari/group-calls.ts';
import type { Endpoint } from '../endpoints/endpoint-schema.ts';
import type { EndpointStore } from '../endpoints/endpoint-store.ts';
import { runProbe } from '../tap/tap-probe.ts';
import { StreamChannelClient, type StreamChannelOptions } from '../tap/stream-channel-client.ts';
import { toBridgeError } from './bridge-error.ts';
import type { TapTransport } from '../tap/tap-transport.ts';
import { AriAppInstance } from '../ari/ari-app-instance.ts';
import { testOverAri } from './endpoint-ari-test.ts';

/** The built-in demo PBX as an endpoint (not stored, not editable). */
export interface DemoEndpoint {
  wsUrl: string;
  ariUrl: string;
  ariUser: string;
  ariPassword: string;
}

export const DEMO_ENDPOINT_ID = 'builtin-demo';
/** A Channel-ID no PBX has: a 101 then close means "/ws speaks stream-channel". */
const CONNECTION_TEST_CHANNEL = 'asterisk-tap-connection-test';

/**
 * Endpoints as the workbench sees them: the stored ones plus the built-in demo, their secrets
 * kept out of views, connection tests, live channels through ARI, and the connection options a
 * tap needs.
 */
export class EndpointsService {
  private readonly store: EndpointStore;
  private readonly demo: DemoEndpoint | undefined;
  private readonly track: ((client: TapTransport, endpointId: string) => void) | undefined;
  /** The running app on ARI (its Stasis app name), for the ari-media Test's round trip. */
  private readonly ariInstance: AriAppInstance;

  /** `track` receives every socket a connection test leaves draining, so shutdown waits for it. */
  constructor(store: EndpointStore, demo: DemoEndpoint | undefined, track?: (client: TapTransport, endpointId: string) => void, ariInstance = new AriAppInstance()) {
    this.store = store;
    this.demo = demo;
    this.track = track;
    this.ariInstance = ariInstance;
  }

  /** Every endpoint, the demo first. */
  all(): Endpoint[] {
    const demo = this.demoEndpoint();
    return [...(demo ? [demo] : []), ...this.store.list()];
  }

  save(req: EndpointSaveRequest): EndpointView {
    const { id, ...input } = req;
    if (id === DEMO_ENDPOINT_ID) throw new CodedError('endpoint-builtin', 'The built-in demo PBX cannot be edited; duplicate it instead.');
    return this.toView(id ? this.store.update(id, input) : this.store.add(input));
  }

  remove(id: string): void {
    if (id === DEMO_ENDPOINT_ID) throw new CodedError('endpoint-builtin', 'The built-in demo PBX cannot be deleted.');
    this.store.remove(id);
  }

  duplicate(id: string): EndpointView {
    return this.toView(id === DEMO_ENDPOINT_ID ? this.duplicateDemo() : this.store.duplicate(id));
  }

  demoEndpoint(): Endpoint | undefined {
    const d = this.demo;
    // The demo shows the res_ari_stream path; duplicate it and pick ari-media to try stock Asterisk's.
    return d && { id: DEMO_ENDPOINT_ID, name: 'Demo PBX (built-in)', wsUrl: d.wsUrl, ariUrl: d.ariUrl, ariUser: d.ariUser, headers: {}, allowSelfSigned: false, transport: 'stream-channel' };
  }

  duplicateDemo(): Endpoint {
    const d = this.demo!;
    return this.store.add({ name: 'Demo PBX (copy)', wsUrl: d.wsUrl, ariUrl: d.ariUrl, ariUser: d.ariUser, ariPassword: d.ariPassword, headers: {}, allowSelfSigned: false, transport: 'auto' });
  }

  endpoint(id: string): Endpoint {
    const ep = id === DEMO_ENDPOINT_ID ? this.demoEndpoint() : this.store.get(id);
    if (!ep) throw new CodedError('endpoint-not-found', 'That endpoint no longer exists.');
    return ep;
  }

  private secret(id: string, kind: 'ariPassword' | 'authPassword'): string | undefined {
    return id === DEMO_ENDPOINT_ID ? (kind === 'ariPassword' ? this.demo?.ariPassword : undefined) : this.store.secrets.get(id, kind);
  }

  toView(ep: Endpoint): EndpointView {
    return {
      ...ep,
      headers: { ...ep.headers },
      hasAriPassword: this.secret(ep.id, 'ariPassword') !== undefined,
      hasAuthPassword: this.secret(ep.id, 'authPassword') !== undefined,
      builtin: ep.id === DEMO_ENDPOINT_ID,
    };
  }

  endpoints(): EndpointView[] {
    const demo = this.demoEndpoint();
    return [...(demo ? [demo] : []), ...this.store.list()].map((e) => this.toView(e));
  }

  tapOptions(ep: Endpoint, channel: string): StreamChannelOptions {
    // Secret-looking header values live in the secret store, not in the endpoint.
    const headers = ep.id === DEMO_ENDPOINT_ID ? ep.headers : this.store.headersFor(ep.id);
    const opts: StreamChannelOptions = { url: ep.wsUrl, channel, headers, allowSelfSigned: ep.allowSelfSigned };
    if (ep.authUser) opts.basicAuth = { user: ep.authUser, password: this.secret(ep.id, 'authPassword') ?? '' };
    return opts;
  }

  private ari(ep: Endpoint): AriClient {
    if (!ep.ariUrl || !ep.ariUser) throw new CodedError('ari-not-configured', `${ep.name} has no ARI configured: type the channel name instead, or add ARI in the endpoint settings.`);
    return new AriClient({ url: ep.ariUrl, user: ep.ariUser, password: this.secret(ep.id, 'ariPassword') ?? '' });
  }

  async channels(endpointId: string): Promise<ChannelListView> {
    const ari = this.ari(this.endpoint(endpointId));
    const [channels, bridges] = await Promise.all([ari.channels(), ari.bridges()]);
    const now = Date.now();
    const { calls, hiddenHelpers } = listCalls(channels, bridges);
    return {
      calls: calls.map((legs) => ({
        legs: legs.map((c) => ({ id: c.id, name: c.name, state: c.state, caller: formatParty(c.caller), connected: formatParty(c.connected), durationS: secondsSince(c.creationtime, now) })),
      })),
      hiddenHelpers,
    };
  }

  async test(id: string, channel?: string): Promise<ProbeView> {
    const ep = this.endpoint(id);
    // With ARI, the Test never opens /ws with a made-up channel (an ERROR in the PBX's log each time).
    const ari = channel === undefined ? this.ariOptions(ep) : undefined;
    if (ari) return testOverAri({ name: ep.name, ari: this.ari(ep), user: ari.user, password: ari.password, transport: ep.transport ?? 'auto', instance: this.ariInstance });
    const { report, client } = await runProbe(new StreamChannelClient({ ...this.tapOptions(ep, channel ?? CONNECTION_TEST_CHANNEL) }), 1500);
    // The probe leaves the socket draining until the server closes it, as every tap does: tracked.
    this.track?.(client, ep.id);
    let verdict: string = report.verdict;
    let summary = report.summary;
    if (!channel && report.verdict === 'channel-not-found') {
      verdict = 'reachable';
      summary = 'OK: the server accepted a stream-channel connection (res_ari_stream is loaded). Asterisk logs one "Channel not found" ERROR for this check; with ARI configured the Test asks ARI instead.';
    }
    if (ep.ariUrl) {
      try {
        const n = (await this.ari(ep).channels()).length;
        summary += ` ARI: OK, ${n} channel${n === 1 ? '' : 's'} up.`;
      } catch (err) {
        // The test failed as a whole: never an "OK:" when ARI refused or was not there.
        verdict = 'ari-failed';
        summary = `ARI: ${toBridgeError(err).message} (The websocket answered: ${summary.replace(/^OK: /, '')})`;
      }
    }
    return { verdict, summary, reason: report.reason, handshakeMs: report.handshakeMs, firstFrameMs: report.firstFrameMs, frames: report.frames };
  }

  ariOptions(ep: Endpoint): { url: string; user: string; password: string } | undefined {
    return ep.ariUrl && ep.ariUser ? { url: ep.ariUrl, user: ep.ariUser, password: this.secret(ep.id, 'ariPassword') ?? '' } : undefined;
  }

  /**
   * With ARI configured, a stream-channel tap checks its channel first: Asterisk itself would
   * only accept and close, which says less than "this channel does not exist".
   */
  async checkChannels(ep: Endpoint, channels: string[]): Promise<void> {
    if (!ep.ariUrl || !ep.ariUser) return;
    const ari = this.ari(ep);
    const live = await ari.channels();
    for (const c of channels) {
      if (!live.some((l) => l.id === c || l.name === c)) throw new CodedError('channel-not-found', `Channel "${c}" does not exist on ${ep.name} (ARI lists no such name or uniqueid). Names are case-sensitive, e.g. PJSIP/alice-00000001.`);
    }
  }
}

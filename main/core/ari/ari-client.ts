import { CodedError, describeError } from '../common/coded-error.ts';
import { parseRtpStatistics, type RtpStatistics } from './rtp-statistics.ts';

export type AriErrorCode = 'ari-invalid-url' | 'ari-unauthorized' | 'ari-not-found' | 'ari-unreachable' | 'ari-timeout' | 'ari-bad-response' | `ari-http-${number}`;

/** A channel as the tap needs it, validated from ARI's JSON. */
export interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  creationtime: string;
  dialplan?: { context: string; exten: string; app_name: string; app_data: string };
}

export interface AriBridge {
  id: string;
  bridge_type: string;
  channels: string[];
}

export interface AriClientOptions {
  /** Base URL of ARI, e.g. http://pbx:8088/ari (a trailing /ari is added when missing). */
  url: string;
  user: string;
  password: string;
  timeoutMs?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function party(v: unknown): { name: string; number: string } {
  return isRecord(v) ? { name: str(v['name']), number: str(v['number']) } : { name: '', number: '' };
}

/** Validates one ARI channel object; throws `ari-bad-response` when it is not one. */
export function parseAriChannel(v: unknown): AriChannel {
  if (!isRecord(v) || typeof v['id'] !== 'string' || typeof v['name'] !== 'string') {
    throw new CodedError('ari-bad-response', 'ARI answered with something that is not a channel (no id or name).');
  }
  const dp = v['dialplan'];
  const channel: AriChannel = {
    id: v['id'],
    name: v['name'],
    state: str(v['state']),
    caller: party(v['caller']),
    connected: party(v['connected']),
    creationtime: str(v['creationtime']),
  };
  if (isRecord(dp)) channel.dialplan = { context: str(dp['context']), exten: str(dp['exten']), app_name: str(dp['app_name']), app_data: str(dp['app_data']) };
  return channel;
}

function parseAriBridge(v: unknown): AriBridge {
  if (!isRecord(v) || typeof v['id'] !== 'string' || !Array.isArray(v['channels'])) {
    throw new CodedError('ari-bad-response', 'ARI answered with something that is not a bridge.');
  }
  return { id: v['id'], bridge_type: str(v['bridge_type']), channels: v['channels'].filter((c): c is string => typeof c === 'string') };
}

/** The small part of ARI's REST interface a tap needs, with errors a person can act on. */
export class AriClient {
  private readonly base: string;
  private readonly auth: string;
  private readonly timeoutMs: number;

  constructor(options: AriClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new CodedError('ari-invalid-url', `"${options.url}" is not a URL. ARI lives at http://host:8088/ari.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CodedError('ari-invalid-url', `ARI is reached over http or https, not ${url.protocol} ("${options.url}").`);
    }
    const path = url.pathname.replace(/\/+$/, '');
    url.pathname = path.endsWith('/ari') ? path : `${path}/ari`;
    this.base = url.toString().replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async channels(): Promise<AriChannel[]> {
    const body = await this.get('/channels');
    if (!Array.isArray(body)) throw new CodedError('ari-bad-response', 'ARI /channels did not answer with a list.');
    return body.map(parseAriChannel);
  }

  /** ARI finds channels by uniqueid only (a name gives 404, as captured). */
  async channel(uniqueid: string): Promise<AriChannel> {
    return parseAriChannel(await this.get(`/channels/${encodeURIComponent(uniqueid)}`, `Channel ${uniqueid} does not exist (ARI looks channels up by uniqueid, not by name).`));
  }

  /**
   * The channel's RTP figures (packets, loss, jitter, RTT, MES), validated. Asterisk answers 403
   * (`ari-http-403`, "Unsupported channel type") for channels without RTP (Local, WebSocket).
   */
  async rtpStatistics(uniqueid: string): Promise<RtpStatistics> {
    return parseRtpStatistics(await this.get(`/channels/${encodeURIComponent(uniqueid)}/rtp_statistics`, `Channel ${uniqueid} does not exist (any more).`));
  }

  /** GET /asterisk/info (the version tells whether chan_websocket external media exists). */
  asteriskInfo(): Promise<unknown> {
    return this.get('/asterisk/info');
  }

  /** GET /applications: the names of the Stasis apps registered now (one per events socket app). */
  async applications(): Promise<string[]> {
    const body = await this.get('/applications');
    if (!Array.isArray(body)) throw new CodedError('ari-bad-response', 'ARI /applications did not answer with a list.');
    return body.flatMap((a) => (isRecord(a) && typeof a['name'] === 'string' ? [a['name']] : []));
  }

  /**
   * GET /asterisk/modules/{name}: the module's status ("Running") when it is loaded, undefined
   * when Asterisk answers 404 (not loaded). Answers "does this server offer …" without opening a tap.
   */
  async moduleStatus(name: string): Promise<string | undefined> {
    try {
      const body = await this.get(`/asterisk/modules/${encodeURIComponent(name)}`);
      return isRecord(body) && typeof body['status'] === 'string' ? body['status'] : 'unknown';
    } catch (err) {
      if ((err as CodedError).code === 'ari-not-found') return undefined;
      throw err;
    }
  }

  async bridges(): Promise<AriBridge[]> {
    const body = await this.get('/bridges');
    if (!Array.isArray(body)) throw new CodedError('ari-bad-response', 'ARI /bridges did not answer with a list.');
    return body.map(parseAriBridge);
  }

  /** The ARI base URL (…/ari), for deriving the media and events websocket URLs. */
  get baseUrl(): string {
    return this.base;
  }

  /** POST with query parameters; the parsed JSON answer (undefined for 204). */
  post(path: string, query: Record<string, string> = {}, notFound?: string): Promise<unknown> {
    return this.request('POST', `${path}?${new URLSearchParams(query).toString()}`, notFound);
  }

  /** DELETE; a 404 (already gone) is not an error. */
  async delete(path: string): Promise<void> {
    try {
      await this.request('DELETE', path);
    } catch (err) {
      if ((err as CodedError).code !== 'ari-not-found') throw err;
    }
  }

  private get(path: string, notFound = `ARI has no ${path}.`): Promise<unknown> {
    return this.request('GET', path, notFound);
  }

  private async request(method: string, path: string, notFound = `ARI has no ${path}.`): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers: { Authorization: this.auth, Accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if ((err as { name?: string }).name === 'TimeoutError') throw new CodedError('ari-timeout', `ARI at ${this.base} did not answer within ${this.timeoutMs} ms.`, { cause: err });
      const code = cause?.code ?? '';
      const badPort = (cause as { message?: string } | undefined)?.message === 'bad port';
      const hint =
        code === 'ECONNREFUSED'
          ? 'nothing is listening there (is the HTTP server enabled in http.conf?)'
          : code === 'ENOTFOUND'
            ? 'the host name does not resolve'
            : badPort
              ? `port ${new URL(this.base).port} is on the list of ports that fetch (like browsers) refuses to use, because other services own them; Asterisk's HTTP server is usually on 8088 (http.conf bindport)`
              : describeError(cause ?? err);
      throw new CodedError('ari-unreachable', `Cannot reach ARI at ${this.base}: ${hint}.`, { cause: err });
    }
    const text = await res.text();
    if (res.status === 401) throw new CodedError('ari-unauthorized', `ARI at ${this.base} rejected the user name or password (HTTP 401). Check ari.conf.`);
    if (res.status === 404) throw new CodedError('ari-not-found', notFound);
    if (!res.ok) {
      let detail = '';
      try {
        detail = String((JSON.parse(text) as { message?: unknown }).message ?? '');
      } catch {
        // No JSON message: the status says it all.
      }
      throw new CodedError(`ari-http-${res.status}`, `ARI at ${this.base} answered HTTP ${res.status} for ${method} ${path.split('?')[0]}${detail ? `: ${detail}` : ''}.`);
    }
    if (res.status === 204 || text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new CodedError('ari-bad-response', `ARI at ${this.base} answered ${path} with something that is not JSON. Is this Asterisk's ARI?`, { cause });
    }
  }
}

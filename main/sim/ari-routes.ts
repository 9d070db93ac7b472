import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AriBridgeJson, AriChannelJson } from './sim-model.ts';
import { ariTime } from './sim-model.ts';

export interface AriBackend {
  user: string;
  password: string;
  entityId: string;
  startedAt: number;
  channels(): AriChannelJson[];
  channel(id: string): AriChannelJson | undefined;
  bridges(): AriBridgeJson[];
  hangup(id: string): boolean;
  /** The Asterisk version ARI reports (chan_websocket exists from 20.16/21.11/22.6/23). */
  version: string;
  /** asterisk.conf `systemname` ('' when unset): info's config.name and the SYSTEMNAME variable. */
  systemName: string;
  /** Loaded modules, for GET /ari/asterisk/modules/{name} (200 Running, 404 otherwise). */
  modules: string[];
  /** `GET /channels/{id}/rtp_statistics`: 200 with figures, 403 for channels without RTP, undefined when the channel does not exist. */
  rtpStatistics?: (id: string) => { status: number; body: unknown } | undefined;
  /** Part B (externalMedia, snoop, stasis bridges): answers its routes, undefined for others. */
  media?: (method: string, parts: string[], url: URL) => { status: number; body?: unknown } | undefined;
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { Server: 'Asterisk/23.4.1', 'Cache-Control': 'no-cache, no-store', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** ARI accepts Basic auth or `?api_key=user:password`. */
export function authorized(req: IncomingMessage, url: URL, backend: AriBackend): boolean {
  const expected = `${backend.user}:${backend.password}`;
  const apiKey = url.searchParams.get('api_key');
  if (apiKey !== null) return same(apiKey, expected);
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m?.[1]) return false;
  return same(Buffer.from(m[1], 'base64').toString('utf8'), expected);
}

/** The read side of ARI a tap needs, plus DELETE /channels/{id} (hangup), shaped like Asterisk 23. */
export function handleAriRequest(req: IncomingMessage, res: ServerResponse, url: URL, backend: AriBackend): void {
  if (!authorized(req, url, backend)) {
    send(res, 401, { message: 'Authentication required' }, { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' });
    return;
  }
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // drop "ari"
  const method = req.method ?? 'GET';
  const partB = backend.media?.(method, parts, url);
  if (partB) {
    if (partB.status === 204) {
      res.writeHead(204, { Server: 'Asterisk/23.4.1' });
      res.end();
    } else send(res, partB.status, partB.body);
    return;
  }
  const [resource, id, ...rest] = parts;
  if (resource === 'asterisk' && id === 'modules' && method === 'GET' && rest.length === 1) {
    // Part C: a loaded module answers 200 with status Running; an absent one 404.
    const name = rest[0]!;
    if (!backend.modules.includes(name)) return send(res, 404, { message: 'Module could not be found in running modules' });
    return send(res, 200, { name, description: name, use_count: 0, status: 'Running', support_level: name === 'res_ari_stream.so' ? 'extended' : 'core' });
  }
  if (resource === 'channels' && id !== undefined && rest.length === 1 && rest[0] === 'rtp_statistics' && method === 'GET') {
    const r = backend.rtpStatistics?.(id);
    return r ? send(res, r.status, r.body) : send(res, 404, { message: 'Channel not found' });
  }
  if (rest.length > 0) return send(res, 404, { message: 'Not found' });
  if (resource === 'asterisk' && method === 'GET') {
    if (id === 'variable') {
      const variable = url.searchParams.get('variable');
      if (!variable) return send(res, 400, { message: 'Variable name is required' });
      return send(res, 200, { value: variable === 'SYSTEMNAME' ? backend.systemName : '' });
    }
    if (id === 'ping') return send(res, 200, { ping: 'pong', timestamp: ariTime(Date.now()), asterisk_id: backend.entityId });
    if (id === 'info') {
      return send(res, 200, {
        build: { os: 'Linux', kernel: 'demo', machine: process.arch, options: 'OPTIONAL_API', date: ariTime(backend.startedAt), user: 'demo' },
        system: { version: backend.version, entity_id: backend.entityId },
        config: { name: backend.systemName, default_language: 'en', setid: { user: '', group: '' } },
        status: { startup_time: ariTime(backend.startedAt), last_reload_time: ariTime(backend.startedAt) },
      });
    }
  }
  if (resource === 'channels') {
    if (id === undefined && method === 'GET') return send(res, 200, backend.channels());
    if (id !== undefined && method === 'GET') {
      const ch = backend.channel(id);
      return ch ? send(res, 200, ch) : send(res, 404, { message: 'Channel not found' });
    }
    if (id !== undefined && method === 'DELETE') {
      if (backend.hangup(id)) {
        res.writeHead(204, { Server: 'Asterisk/23.4.1' });
        res.end();
        return;
      }
      return send(res, 404, { message: 'Channel not found' });
    }
  }
  if (resource === 'bridges' && method === 'GET') {
    if (id === undefined) return send(res, 200, backend.bridges());
    const bridge = backend.bridges().find((b) => b.id === id);
    return bridge ? send(res, 200, bridge) : send(res, 404, { message: 'Bridge not found' });
  }
  send(res, 404, { message: 'Not found' });
}

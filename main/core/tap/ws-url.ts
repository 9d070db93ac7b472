import { TapError, describeTapReason } from './tap-reasons.ts';

/**
 * Parses a websocket URL as a person would type it. http(s) is accepted and mapped to ws(s),
 * because people paste Asterisk's HTTP server address; anything else is `invalid-url`.
 */
export function parseWsUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch (cause) {
    throw new TapError('invalid-url', describeTapReason('invalid-url', { url: input }), { cause });
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.hostname === '') {
    throw new TapError('invalid-url', describeTapReason('invalid-url', { url: input }));
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL end up in logs and history; the endpoint has fields for them.
    throw new TapError('invalid-url', `Put credentials in the endpoint's user and password fields, not in the URL "${url.host}".`);
  }
  return url;
}

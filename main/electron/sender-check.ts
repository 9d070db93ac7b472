import { APP_ORIGIN } from '../../preload/contract.ts';

/**
 * The one rule for IPC senders: only the app's own page, top frame, served from the app protocol.
 * Pure (no electron import) so it is unit-tested under plain Node.
 */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Navigation is only ever to the app's own page. */
export function isAllowedNavigation(url: string): boolean {
  return isTrustedSender({ url, parent: null });
}

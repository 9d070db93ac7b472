import { APP_ORIGIN } from '../../preload/contract.ts';

/**
 * The desktop shell's security decisions as pure functions (no electron import), so they are
 * unit-tested under plain Node; main-window.ts only wires them to Electron.
 */

/** Sites a link in the app may open in the user's browser; anything else is refused. */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'docs.asterisk.org', 'www.asterisk.org'];

/** shell.openExternal only for https links to {@link EXTERNAL_HOSTS}, without credentials or odd ports. */
export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && EXTERNAL_HOSTS.includes(u.hostname);
}

/** What the page may use: writing (sanitised) text to the clipboard. Nothing else (camera, mic, notifications, …). */
const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

/**
 * The one rule for both of Electron's permission handlers: the request handler (a page asks)
 * and the check handler (a page or Chromium queries the state, e.g. navigator.permissions).
 * Only the app's own page, and only {@link ALLOWED_PERMISSIONS}.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  if (!ALLOWED_PERMISSIONS.includes(permission) || !requestingUrl) return false;
  try {
    const u = new URL(requestingUrl);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

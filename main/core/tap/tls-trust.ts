import * as tls from 'node:tls';

/**
 * The CA list for verifying a wss server: Node's bundled roots plus the operating system's store,
 * because internal Asterisk servers are usually signed by a company CA installed in the OS.
 * `getCACertificates('system')` exists from Node 22.15; older runtimes fall back to Node's default.
 */
export function systemTrustStore(): string[] | undefined {
  const get = (tls as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return undefined;
  try {
    return [...new Set([...get('default'), ...get('system')])];
  } catch {
    return undefined;
  }
}

/** Node error codes that mean the peer's certificate was not accepted. */
const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isTlsErrorCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return TLS_ERROR_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

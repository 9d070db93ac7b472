/**
 * Header names whose values are credentials (Authorization, Proxy-Authorization, X-Api-Key,
 * cookies, tokens …): their values are kept with the passwords, never in endpoints.json or an
 * export. A name is enough to decide; a false positive only costs a value kept more carefully.
 */
const SECRET_HEADER = /auth|token|key|secret|passw|cookie|session|credential/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The secret store's key for a header's value (header names are case-insensitive). */
export function headerSecretKind(name: string): `header:${string}` {
  return `header:${name.toLowerCase()}`;
}

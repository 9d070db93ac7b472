/**
 * How safeStorage protects secrets, in words for the settings screen. Pure (no electron import)
 * so it is unit-tested under plain Node. On Linux, safeStorage's `basic_text` backend (no
 * secret service or KWallet found) encrypts with a key built into Electron: obfuscation, not
 * protection, and it must not be called the OS keychain.
 */
export function describeSafeStorage(platform: NodeJS.Platform, backend: string | undefined): string {
  if (platform === 'darwin') return 'encrypted with a key kept in the macOS Keychain (Electron safeStorage)';
  if (platform === 'win32') return 'encrypted with Windows DPAPI for your user account (Electron safeStorage)';
  if (backend === 'basic_text' || backend === undefined || backend === 'unknown') {
    return 'only obfuscated, not encrypted: no keyring (GNOME Keyring / KWallet) was found, so Electron uses a key built into the app; anyone who can read your files can recover them';
  }
  const keyring = backend.startsWith('gnome') ? 'GNOME Keyring (libsecret)' : backend.startsWith('kwallet') ? 'KWallet' : backend;
  return `encrypted with a key kept in ${keyring} (Electron safeStorage)`;
}

/** Whether the selected backend really encrypts (false: basic_text obfuscation on Linux). */
export function safeStorageEncrypts(platform: NodeJS.Platform, backend: string | undefined): boolean {
  return platform === 'darwin' || platform === 'win32' || (backend !== undefined && backend !== 'basic_text' && backend !== 'unknown');
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSafeStorage, safeStorageEncrypts } from '../../../main/electron/safe-storage-protection.ts';

test('safeStorage on Linux with the basic_text backend is called obfuscation, never the OS keychain', () => {
  const basic = describeSafeStorage('linux', 'basic_text');
  assert.match(basic, /not encrypted/);
  assert.doesNotMatch(basic, /keychain/i);
  assert.equal(safeStorageEncrypts('linux', 'basic_text'), false);
  assert.match(describeSafeStorage('linux', 'gnome_libsecret'), /GNOME Keyring/);
  assert.equal(safeStorageEncrypts('linux', 'kwallet5'), true);
  assert.match(describeSafeStorage('darwin', undefined), /Keychain/);
  assert.match(describeSafeStorage('win32', undefined), /DPAPI/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { APP_ORIGIN } from '../../../preload/contract.ts';
import { isAllowedExternalUrl, isPermissionAllowed } from '../../../main/electron/security-policy.ts';

test('shell.openExternal: only https links to the allow-listed sites', () => {
  assert.equal(isAllowedExternalUrl('https://github.com/asterisk/asterisk'), true);
  assert.equal(isAllowedExternalUrl('https://docs.asterisk.org/Configuration/'), true);
  for (const bad of ['http://github.com/', 'https://evil.example/', 'https://github.com.evil.example/', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'https://user:pw@github.com/', 'https://github.com:8443/', 'ms-msdt:/id', 'not a url']) {
    assert.equal(isAllowedExternalUrl(bad), false, bad);
  }
});

test('permissions: the request and check handlers allow only clipboard writes, only for the app page', () => {
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`), true);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', APP_ORIGIN), true);
  for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'usb', 'hid', 'serial']) assert.equal(isPermissionAllowed(p, APP_ORIGIN), false, p);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example'), false);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', undefined), false);
});

test('the window wires both permission handlers and the external-link allow-list', async () => {
  const src = await readFile(new URL('../../../main/electron/main-window.ts', import.meta.url), 'utf8');
  assert.match(src, /setPermissionRequestHandler\(.*isPermissionAllowed/);
  assert.match(src, /setPermissionCheckHandler\(.*isPermissionAllowed/);
  assert.match(src, /isAllowedExternalUrl\(url\)\) void shell\.openExternal\(url\)/);
});

test('electron-builder flips the security fuses', async () => {
  const yml = await readFile(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');
  const fuses = yml.slice(yml.indexOf('electronFuses:'));
  assert.ok(yml.includes('electronFuses:'), 'electronFuses is configured');
  for (const [name, value] of [['runAsNode', 'false'], ['enableNodeOptionsEnvironmentVariable', 'false'], ['enableNodeCliInspectArguments', 'false'], ['enableCookieEncryption', 'true'], ['enableEmbeddedAsarIntegrityValidation', 'true'], ['onlyLoadAppFromAsar', 'true'], ['grantFileProtocolExtraPrivileges', 'false']] as const) {
    assert.match(fuses, new RegExp(`\\n\\s+${name}: ${value}\\b`), name);
  }
  assert.match(yml, /\nasar: true/);
});

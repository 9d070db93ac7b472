import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandRegistry, chordOf, displayKeybinding } from '../../../renderer/commands/command-registry.ts';

test('one registry: lookup by chord, search, enablement, no duplicate ids or keybindings', async () => {
  const r = new CommandRegistry();
  const ran: string[] = [];
  let hasTap = false;
  r.register({ id: 'workbench.action.showCommands', title: 'Show All Commands', keybinding: 'Ctrl+Shift+P', run: () => void ran.push('palette') });
  r.register({ id: 'tap.marker', title: 'Tap: Add Marker', keybinding: 'M', enabled: () => hasTap, run: () => void ran.push('marker') });
  r.register({ id: 'theme.dark', title: 'Theme: Dark', run: () => void ran.push('dark') });
  assert.throws(() => r.register({ id: 'theme.dark', title: 'x', run: () => undefined }), /registered twice/);
  assert.throws(() => r.register({ id: 'other', title: 'x', keybinding: 'M', run: () => undefined }), /taken/);
  assert.equal(r.forChord('Ctrl+Shift+P')?.id, 'workbench.action.showCommands');
  assert.deepEqual(r.search('theme da').map((c) => c.id), ['theme.dark']);
  assert.equal(await r.run('tap.marker'), false, 'disabled without a tap');
  hasTap = true;
  assert.equal(await r.run('tap.marker'), true);
  assert.deepEqual(ran, ['marker']);
  assert.deepEqual(r.all().map((c) => c.title), ['Show All Commands', 'Tap: Add Marker', 'Theme: Dark']);
});

test('key chords are normalised like keybindings; Ctrl is Cmd on macOS', () => {
  const ev = { key: 'p', ctrlKey: true, metaKey: false, shiftKey: true, altKey: false };
  assert.equal(chordOf(ev, false), 'Ctrl+Shift+P');
  assert.equal(chordOf({ ...ev, ctrlKey: false, metaKey: true }, true), 'Ctrl+Shift+P');
  assert.equal(chordOf({ key: 'm', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false }, false), 'M');
  assert.equal(chordOf({ key: 'Shift', ctrlKey: false, metaKey: false, shiftKey: true, altKey: false }, false), 'Shift');
  assert.equal(displayKeybinding('Ctrl+Shift+P', true), '⌘⇧P');
  assert.equal(displayKeybinding('Ctrl+Shift+P', false), 'Ctrl+Shift+P');
});

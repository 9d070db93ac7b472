import type { Workbench } from './workbench.ts';

/** Every command of the workbench; the palette, the keybindings and the Electron menu read this list. */
export function registerCommands(wb: Workbench): void {
  const active = () => wb.editors.activeEditor;
  const hasTap = () => active() !== undefined;
  const review = () => wb.editors.activeReview;
  const hasReview = () => review() !== undefined;
  const c = wb.commands;
  c.register({ id: 'workbench.action.showCommands', title: 'Show All Commands', keybinding: 'Ctrl+Shift+P', run: () => wb.openPalette() });
  c.register({ id: 'workbench.view.endpoints', title: 'View: Endpoints', keybinding: 'Ctrl+Shift+E', run: () => wb.showView('endpoints', true) });
  c.register({ id: 'workbench.view.channels', title: 'View: Channels', keybinding: 'Ctrl+Shift+C', run: () => wb.showView('channels', true) });
  c.register({ id: 'workbench.view.recordings', title: 'View: Recordings', keybinding: 'Ctrl+Shift+Y', run: () => wb.showView('recordings', true) });
  c.register({ id: 'workbench.actions.view.problems', title: 'View: Problems', keybinding: 'Ctrl+Shift+M', run: () => wb.showProblems() });
  c.register({ id: 'workbench.action.togglePanel', title: 'View: Toggle Output Panel', keybinding: 'Ctrl+J', run: () => wb.togglePanel() });
  c.register({
    id: 'endpoints.add',
    title: 'Endpoints: Add Endpoint',
    run: () => {
      wb.showView('endpoints');
      wb.endpointsView.add();
    },
  });
  c.register({ id: 'tap.toggleListen', title: 'Tap: Listen On/Off', keybinding: 'L', enabled: hasTap, run: () => active()?.toggleListen() });
  c.register({ id: 'tap.toggleRecord', title: 'Tap: Start/Stop Recording', keybinding: 'R', enabled: hasTap, run: () => active()?.toggleRecord() });
  c.register({ id: 'tap.marker', title: 'Add Marker (live tap or recording)', keybinding: 'M', enabled: () => hasTap() || hasReview(), run: () => (active() ? active()!.marker() : review()?.addMarker()) });
  c.register({ id: 'review.playPause', title: 'Review: Play/Pause', keybinding: 'Space', enabled: hasReview, run: () => review()?.playPause() });
  c.register({ id: 'review.toggleLoop', title: 'Review: Loop the Selection On/Off', enabled: hasReview, run: () => review()?.toggleLoop() });
  c.register({ id: 'review.toggleSpectrogram', title: 'Review: Show/Hide Spectrogram', enabled: hasReview, run: () => review()?.toggleSpectrogram() });
  c.register({ id: 'review.zoomIn', title: 'Review: Zoom In', enabled: hasReview, run: () => review()?.zoomBy(2) });
  c.register({ id: 'review.zoomOut', title: 'Review: Zoom Out', enabled: hasReview, run: () => review()?.zoomBy(0.5) });
  c.register({ id: 'review.exportSelection', title: 'Review: Export Selection as WAV', enabled: hasReview, run: () => review()?.exportSelection() });
  c.register({ id: 'review.exportLabelled', title: 'Review: Export All Labelled Regions', enabled: hasReview, run: () => review()?.exportLabelled() });
  c.register({
    id: 'recordings.changeFolder',
    title: 'Recordings: Change Folder…',
    run: async () => {
      wb.showView('recordings');
      await wb.recordingsView.changeFolder();
    },
  });
  c.register({ id: 'review.close', title: 'Review: Close Recording', enabled: hasReview, run: () => wb.editors.closeActiveReview() });
  c.register({ id: 'tap.saveReplay', title: 'Tap: Save Last Seconds (Instant Replay)', keybinding: 'Ctrl+Shift+S', enabled: hasTap, run: () => active()?.saveReplay() });
  c.register({ id: 'tap.stop', title: 'Tap: Stop Tap', keybinding: 'Ctrl+Shift+X', enabled: hasTap, run: () => active()?.stop() });
  c.register({ id: 'theme.auto', title: 'Theme: Follow the System', run: () => wb.setTheme('auto') });
  c.register({ id: 'theme.dark', title: 'Theme: Dark', run: () => wb.setTheme('dark') });
  c.register({ id: 'theme.light', title: 'Theme: Light', run: () => wb.setTheme('light') });
  c.register({ id: 'theme.hc', title: 'Theme: High Contrast', run: () => wb.setTheme('hc') });
}

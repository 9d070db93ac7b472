import { h, setChildren } from '../common/dom.ts';
import type { AppState } from './app-state.ts';
import type { LogEntry } from '../../preload/contract.ts';

/** The Output panel: timestamped connection events and errors, copyable. */
export function createOutputPanel(state: AppState): HTMLElement {
  const list = h('ol', { class: 'output-lines', 'aria-live': 'polite', tabindex: 0, 'aria-label': 'Output' });
  const line = (e: LogEntry): HTMLElement =>
    h('li', { class: `log-${e.level}` }, h('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()), ' ', e.level === 'info' ? '' : `[${e.level}] `, e.message);
  const copy = h('button', {
    class: 'small',
    'data-action': 'copy-output',
    title: 'Copy the output to the clipboard',
    onclick: () => {
      const text = state.log.map((e) => `${e.at} ${e.level.toUpperCase()} ${e.message}`).join('\n');
      void navigator.clipboard?.writeText(text).then(
        () => state.info('Output copied to the clipboard.'),
        () => state.info('The clipboard is not available here; select the lines and copy them instead.', 'warn'),
      );
    },
  }, 'Copy');
  const clear = h('button', { class: 'small', onclick: () => { state.log.length = 0; setChildren(list); } }, 'Clear');
  state.changes.on('log', (e) => {
    list.append(line(e));
    while (list.childElementCount > 2000) list.firstElementChild?.remove();
    list.scrollTop = list.scrollHeight;
  });
  // The panel (panel-tabs.ts) holds this view beside Problems.
  return h('section', { class: 'output-view', 'data-view': 'output', 'aria-label': 'Output' }, panelHeader('Output', copy, clear), list);
}

/** A panel view's header: its name on the left, its actions together on the right (Output, Problems, …). */
export function panelHeader(title: string, ...actions: HTMLElement[]): HTMLElement {
  return h('header', { class: 'part-title' }, h('h2', { class: 'part-name' }, title), h('div', { class: 'part-actions', role: 'toolbar', 'aria-label': `${title} actions` }, ...actions));
}

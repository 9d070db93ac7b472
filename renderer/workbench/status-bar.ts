import { formatDuration, h, setHidden, setText } from '../common/dom.ts';
import type { AppState } from './app-state.ts';
import { NO_AUDIO } from '../common/wording.ts';

/**
 * Status bar: host connection, active and detached taps, recording indicator with elapsed time.
 * It renders on every stats tick (4 a second per tap) but writes only what changed: while no tap
 * records, a tick changes nothing here.
 */
export function createStatusBar(state: AppState): HTMLElement {
  const host = h('span', { class: 'status-item', 'data-status': 'host' });
  const taps = h('span', { class: 'status-item', 'data-status': 'taps' });
  const detached = h('span', { class: 'status-item', 'data-status': 'detached', title: 'Stopped taps still connected until their calls end (closing first can crash Asterisk with res_ari_stream)' });
  const rec = h('span', { class: 'status-item recording', 'data-status': 'recording' });
  const endpoint = h('span', { class: 'status-item', 'data-status': 'endpoint' });
  const render = (): void => {
    // classList.toggle with a force writes only when the class list changes.
    setText(host, state.hostConnected ? '● Connected' : '○ Host disconnected');
    host.classList.toggle('bad', !state.hostConnected);
    setText(endpoint, state.endpointStatus.text);
    endpoint.classList.toggle('bad', !state.endpointStatus.ok);
    setHidden(endpoint, state.endpointStatus.text === '');
    const open = state.openTaps();
    setText(taps, `${open.length} tap${open.length === 1 ? '' : 's'} open`);
    const d = state.detachedTaps().length;
    setText(detached, d > 0 ? `${d} detached, draining` : '');
    setHidden(detached, d === 0);
    const recording = open.filter((t) => t.recording);
    const ms = Math.max(0, ...recording.map((t) => state.stats.get(t.id)?.recordingMs ?? 0));
    // A counter stuck at 0 says why: nothing has arrived to record.
    const nothing = ms === 0 && recording.every((t) => t.legs.every((l, i) => l.state === 'silent' && (state.stats.get(t.id)?.legs[i]?.frames ?? 0) === 0));
    setText(rec, recording.length > 0 ? `● REC ${formatDuration(ms)}${nothing ? ` · ${NO_AUDIO} from the channel` : ''}` : '');
    setHidden(rec, recording.length === 0);
  };
  state.changes.on('taps', render);
  state.changes.on('stats', render);
  state.changes.on('connection', render);
  render();
  return h('footer', { id: 'workbench.parts.statusbar', class: 'part statusbar', role: 'status' }, host, endpoint, taps, detached, rec);
}

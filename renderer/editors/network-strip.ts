import type { NetworkView } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';

/** A figure's colour class: above its threshold a warning, above twice of it bad. */
function level(value: number, threshold: number): string {
  return value > 2 * threshold ? 'bad' : value > threshold ? 'warn' : 'ok';
}

/**
 * The small strip under a leg's waveform: Asterisk's jitter, loss and RTT for that leg (from ARI's
 * rtp_statistics every 2 s), coloured against the thresholds; or why there are none. Hidden when
 * the endpoint has no ARI (nothing is polled).
 */
export function renderNetworkStrip(el: HTMLElement, v: NetworkView | undefined): void {
  el.hidden = v === undefined;
  if (!v) return;
  el.dataset['status'] = v.status;
  if (v.status !== 'ok' || !v.figures) {
    setChildren(el, h('span', { class: 'net-label' }, 'RTP'), h('span', { class: 'net-note' }, v.status === 'no-rtp' ? 'no RTP on this channel type' : (v.message ?? '')));
    el.title = v.message ?? '';
    return;
  }
  const f = v.figures;
  const t = v.thresholds;
  const fig = (name: string, text: string, cls: string, title: string): HTMLElement => h('span', { class: `net-fig ${cls}`, 'data-fig': name, title }, text);
  setChildren(
    el,
    h('span', { class: 'net-label', title: 'Asterisk\'s RTP statistics for this leg, polled every 2 s' }, 'RTP'),
    fig('jitter', `jitter ${f.jitterMs.toFixed(1)} ms`, level(f.jitterMs, t.jitterMs), `Interarrival jitter (threshold ${t.jitterMs} ms)`),
    fig('loss', `loss ${f.lossPct.toFixed(1)} %`, level(f.lossPct, t.lossPct), `Packets lost in the last 2 s (threshold ${t.lossPct} %)`),
    fig('rtt', `RTT ${f.rttMs.toFixed(0)} ms`, level(f.rttMs, t.rttMs), `Round-trip time from RTCP (threshold ${t.rttMs} ms)`),
    f.mes === null ? null : fig('mes', `MES ${f.mes}`, f.mes < 70 ? 'warn' : 'ok', 'Media Experience Score (0-100), as Asterisk computes it'),
  );
  el.title = '';
}

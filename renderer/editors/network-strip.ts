import type { NetworkView } from '../../preload/contract.ts';
import { h, setAttr, setChildren, setClass, setHidden, setText } from '../common/dom.ts';

/** A figure's colour class: above its threshold a warning, above twice of it bad. */
function level(value: number, threshold: number): string {
  return value > 2 * threshold ? 'bad' : value > threshold ? 'warn' : 'ok';
}

interface Fig {
  name: string;
  text: string;
  cls: string;
  title: string;
}

/** What the strip shows for a view: a note, or the figures. */
function content(v: NetworkView): { note: string } | { figs: Fig[] } {
  if (v.status !== 'ok' || !v.figures) return { note: v.status === 'no-rtp' ? 'no RTP on this channel type' : (v.message ?? '') };
  const f = v.figures;
  const t = v.thresholds;
  const figs: Fig[] = [
    { name: 'jitter', text: `jitter ${f.jitterMs.toFixed(1)} ms`, cls: level(f.jitterMs, t.jitterMs), title: `Interarrival jitter (threshold ${t.jitterMs} ms)` },
    { name: 'loss', text: `loss ${f.lossPct.toFixed(1)} %`, cls: level(f.lossPct, t.lossPct), title: `Packets lost in the last 2 s (threshold ${t.lossPct} %)` },
    { name: 'rtt', text: `RTT ${f.rttMs.toFixed(0)} ms`, cls: level(f.rttMs, t.rttMs), title: `Round-trip time from RTCP (threshold ${t.rttMs} ms)` },
  ];
  if (f.mes !== null) figs.push({ name: 'mes', text: `MES ${f.mes}`, cls: f.mes < 70 ? 'warn' : 'ok', title: 'Media Experience Score (0-100), as Asterisk computes it' });
  return { figs };
}

/**
 * The small strip under a leg's waveform: Asterisk's jitter, loss and RTT for that leg (from ARI's
 * rtp_statistics every 2 s), coloured against the thresholds; or why there are none. Hidden when
 * the endpoint has no ARI (nothing is polled). A poll that brings the same kind of answer updates
 * the figures in place, writing only the ones that changed.
 */
export function renderNetworkStrip(el: HTMLElement, v: NetworkView | undefined): void {
  setHidden(el, v === undefined);
  if (!v) return;
  setAttr(el, 'data-status', v.status);
  const c = content(v);
  if ('note' in c) {
    setAttr(el, 'title', v.message ?? '');
    const note = el.querySelector<HTMLElement>(':scope > .net-note');
    if (note && el.querySelector('.net-fig') === null) setText(note, c.note);
    else setChildren(el, h('span', { class: 'net-label' }, 'RTP'), h('span', { class: 'net-note' }, c.note));
    return;
  }
  setAttr(el, 'title', '');
  const shown = [...el.querySelectorAll<HTMLElement>(':scope > .net-fig')];
  if (shown.length === c.figs.length && c.figs.every((f, i) => shown[i]!.dataset['fig'] === f.name)) {
    c.figs.forEach((f, i) => {
      const span = shown[i]!;
      setText(span, f.text);
      setClass(span, `net-fig ${f.cls}`);
      setAttr(span, 'title', f.title);
    });
    return;
  }
  setChildren(
    el,
    h('span', { class: 'net-label', title: 'Asterisk\'s RTP statistics for this leg, polled every 2 s' }, 'RTP'),
    ...c.figs.map((f) => h('span', { class: `net-fig ${f.cls}`, 'data-fig': f.name, title: f.title }, f.text)),
  );
}

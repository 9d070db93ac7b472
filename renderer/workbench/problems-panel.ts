import type { FindingViewSeverity } from '../../preload/contract.ts';
import { h, setAttr, setChildNodes, setText } from '../common/dom.ts';
import type { AppState } from './app-state.ts';
import type { ProblemGroup } from './findings-state.ts';

export const SEVERITY_ICON: Record<FindingViewSeverity, string> = { error: '⊗', warning: '⚠', info: 'ⓘ' };
const SEVERITY_WORD: Record<FindingViewSeverity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Where a problem's row leads: the live tap, or a moment (ms from its first sample) of a recording. */
export type ProblemTarget = { tapId: string; atWallMs: number } | { recording: string; atMs: number };

/**
 * A row of the list: `sig` is everything it is built from but `patch`'s part, so a render keeps a
 * row whose sig did not change and only patches it (a growing problem's duration, once a second).
 */
interface Item {
  key: string;
  sig: string;
  build: () => HTMLElement;
  patch?: (el: HTMLElement) => void;
}

const time = (ms: number): string => new Date(ms).toLocaleTimeString();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The Problems panel, as VS Code's: one row per problem (repeats of it counted), severity icon,
 * message, channel, wall-clock time; grouped by tap, worst first. Click or Enter jumps to the tap;
 * arrows move between rows; the filter keeps rows whose text matches.
 */
export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly state: AppState;
  private readonly open: (target: ProblemTarget) => void;
  private readonly list: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly summary: HTMLElement;
  private focusedKey: string | undefined;
  /** The rows shown, by key, with the sig they were built from. */
  private shown = new Map<string, { sig: string; el: HTMLElement }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Whether its panel tab is the one shown: a hidden list is not written (each write costs the page a frame); it renders when shown. */
  private visible = true;

  constructor(state: AppState, open: (target: ProblemTarget) => void) {
    this.state = state;
    this.open = open;
    this.list = h('ul', { class: 'problems-list', role: 'listbox', 'aria-label': 'Problems' });
    this.filter = h('input', { type: 'search', class: 'problems-filter', placeholder: 'Filter (e.g. one-way, loss, alice)', 'aria-label': 'Filter problems', oninput: () => this.render() });
    this.summary = h('span', { class: 'problems-summary', 'aria-live': 'polite' });
    this.element = h('div', { class: 'problems-view', 'data-view': 'problems' }, h('div', { class: 'problems-toolbar' }, this.summary, this.filter), this.list);
    this.list.addEventListener('keydown', (ev) => this.onKey(ev));
    state.health.changes.on('findings', () => this.render());
    state.changes.on('taps', () => this.render());
    this.render();
  }

  /** Called by the panel's tabs when this view is shown or hidden. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.render();
  }

  /** Total problems shown (the panel tab's badge). */
  count(): number {
    return this.state.health.groups().length + this.state.health.recordingFindings().reduce((n, r) => n + r.markers.length, 0);
  }

  private rows(): ProblemGroup[] {
    const q = this.filter.value.trim().toLowerCase();
    return this.state.health.groups().filter((g) => !q || `${g.latest.kind} ${g.latest.message} ${g.latest.channel} ${g.severity}`.toLowerCase().includes(q));
  }

  /** Renders on every finding and once a second while a problem grows; writes only what changed. */
  private render(): void {
    if (!this.visible) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const groups = this.rows();
    const c = this.state.health.counts();
    setText(this.summary, `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`);
    const q = this.filter.value.trim().toLowerCase();
    const recs = this.state.health
      .recordingFindings()
      .map((r) => ({ ...r, markers: r.markers.filter((m) => !q || `${m.kind} ${m.label} ${m.severity}`.toLowerCase().includes(q)) }))
      .filter((r) => r.markers.length > 0);
    const items: Item[] = [];
    if (groups.length === 0 && recs.length === 0) {
      const text = this.filter.value ? 'No problem matches the filter.' : 'No problems have been detected on the open taps.';
      items.push({ key: 'empty', sig: text, build: () => h('li', { class: 'problems-empty' }, text) });
    }
    const byTap = new Map<string, ProblemGroup[]>();
    for (const g of groups) byTap.set(g.tapId, [...(byTap.get(g.tapId) ?? []), g]);
    for (const [tapId, gs] of byTap) {
      const title = this.state.taps.get(tapId)?.title ?? 'Closed tap';
      items.push({ key: `tap\n${tapId}`, sig: `${title}\n${gs.length}`, build: () => h('li', { class: 'problems-group', role: 'presentation' }, title, h('span', { class: 'problems-group-count' }, String(gs.length))) });
      for (const g of gs) items.push(this.row(g));
    }
    // Recordings open in review: a row per finding, Enter or a click moves the cursor to it.
    for (const r of recs) {
      items.push({ key: `rec\n${r.name}`, sig: String(r.markers.length), build: () => h('li', { class: 'problems-group', role: 'presentation' }, `♒ ${r.name}`, h('span', { class: 'problems-group-count' }, String(r.markers.length))) });
      r.markers.forEach((m, i) => {
        const sev = m.severity ?? 'warning';
        const label = `${SEVERITY_WORD[sev]}: ${m.label} at ${secs(m.atMs)} in ${r.name}`;
        items.push({
          key: `rec\n${r.name}\n${i}`,
          sig: JSON.stringify([sev, m.kind, m.label, m.leg, m.atMs]),
          build: () =>
            h(
              'li',
              { class: `problem sev-${sev}`, role: 'option', tabindex: -1, 'data-kind': m.kind, 'data-recording': r.name, 'data-at-ms': m.atMs, 'aria-label': label, onclick: () => this.open({ recording: r.name, atMs: m.atMs }) },
              h('span', { class: `problem-icon sev-${sev}`, 'aria-hidden': 'true' }, SEVERITY_ICON[sev]),
              h('span', { class: 'problem-kind' }, m.kind ?? ''),
              h('span', { class: 'problem-message' }, m.label),
              h('span', { class: 'problem-channel' }, m.leg === null || m.leg === undefined ? 'call' : `leg ${m.leg}`),
              h('span', { class: 'problem-time' }, `at ${secs(m.atMs)}`),
            ),
        });
      });
    }
    const hadFocus = this.list.contains(document.activeElement);
    const shown = new Map<string, { sig: string; el: HTMLElement }>();
    for (const item of items) {
      const kept = this.shown.get(item.key);
      const el = kept?.sig === item.sig ? kept.el : item.build();
      item.patch?.(el);
      shown.set(item.key, { sig: item.sig, el });
    }
    this.shown = shown;
    // One row is the list's tab stop: the focused one, the one last focused, or the first (set before a new row goes in: one write less).
    const els = [...shown.values()].map((r) => r.el);
    const rows = els.filter((el) => el.classList.contains('problem'));
    const stop = rows.find((r) => r === document.activeElement) ?? rows.find((r) => this.focusedKey !== undefined && r.dataset['key'] === this.focusedKey) ?? rows[0];
    for (const r of rows) setAttr(r, 'tabindex', r === stop ? '0' : '-1');
    setChildNodes(this.list, els);
    // A row moved or rebuilt lost the keyboard focus: it goes back to the same problem.
    if (hadFocus && !this.list.contains(document.activeElement)) (stop ?? this.list).focus();
    // Problems in progress show how long they have lasted: refresh once a second while any grows.
    const growing = groups.some((g) => g.inProgress);
    if (growing && !this.timer) this.timer = setInterval(() => this.render(), 1000);
    if (!growing && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private row(g: ProblemGroup): Item {
    const f = g.latest;
    const key = `${g.tapId}\n${g.key}`;
    const lasting = (): string => (f.endedAt === null ? `growing · ${secs(Date.now() - f.startedAt)}` : f.endedAt - f.startedAt >= 1000 ? secs(f.endedAt - f.startedAt) : '');
    const build = (): HTMLElement =>
      h(
        'li',
        {
          class: `problem sev-${g.severity}${f.endedAt === null ? ' in-progress' : ''}`,
          role: 'option',
          tabindex: -1,
          'data-key': key,
          'data-kind': f.kind,
          'data-tap': g.tapId,
          'aria-label': `${SEVERITY_WORD[g.severity]}: ${f.message} on ${f.channel} at ${time(f.startedAt)}${g.count > 1 ? `, ${g.count} times` : ''}`,
          onclick: () => this.activate(g),
          onfocus: () => (this.focusedKey = key),
        },
        h('span', { class: `problem-icon sev-${g.severity}`, 'aria-hidden': 'true', title: SEVERITY_WORD[g.severity] }, SEVERITY_ICON[g.severity]),
        h('span', { class: 'problem-kind' }, f.kind),
        h('span', { class: 'problem-message' }, f.message),
        h('span', { class: 'problem-channel' }, f.channel),
        h('time', { class: 'problem-time', datetime: new Date(f.startedAt).toISOString() }, time(f.startedAt)),
        h('span', { class: 'problem-lasting' }),
        g.count > 1 ? h('span', { class: 'problem-count', title: `${g.count} times since ${time(g.first.startedAt)}` }, `×${g.count}`) : null,
      );
    return {
      key,
      // The latest finding's id is in the sig: the row's click goes to it.
      sig: JSON.stringify([g.severity, f.id, f.kind, f.message, f.channel, f.startedAt, f.endedAt, g.count, g.first.startedAt]),
      build,
      // Only the duration of a growing problem changes between findings.
      patch: (el) => {
        const span = el.querySelector<HTMLElement>('.problem-lasting')!;
        const text = lasting();
        setText(span, text);
        if (span.hidden !== (text === '')) span.hidden = text === '';
      },
    };
  }

  private activate(g: ProblemGroup): void {
    this.open({ tapId: g.tapId, atWallMs: g.latest.startedAt });
  }

  private onKey(ev: KeyboardEvent): void {
    const rows = [...this.list.querySelectorAll<HTMLElement>('.problem')];
    const i = rows.indexOf(document.activeElement as HTMLElement);
    const go = (j: number): void => {
      const r = rows[Math.max(0, Math.min(rows.length - 1, j))];
      if (!r) return;
      rows.forEach((x) => x.setAttribute('tabindex', '-1'));
      r.setAttribute('tabindex', '0');
      r.focus();
    };
    if (ev.key === 'ArrowDown') go(i + 1);
    else if (ev.key === 'ArrowUp') go(i - 1);
    else if (ev.key === 'Home') go(0);
    else if (ev.key === 'End') go(rows.length - 1);
    else if (ev.key === 'Enter' && i >= 0) rows[i]!.click();
    else return;
    ev.preventDefault();
  }
}

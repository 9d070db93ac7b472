import { pickBridge } from './bridge/pick-bridge.ts';
import { Workbench } from './workbench/workbench.ts';
import './styles/workbench.css';
import './styles/findings.css';
import { latencyProbe } from './audio/audio-engine.ts';
import { reviewBaseline } from './review/review-editor.ts';

const { bridge, web } = pickBridge();
const workbench = new Workbench(document.getElementById('app')!, bridge);
web?.onClosed(() => workbench.hostDisconnected());
void workbench.start();

/** For end-to-end tests and support: read-only views of what the page holds. */
(window as unknown as { __asteriskTap: unknown }).__asteriskTap = {
  dominantHz: (tapId: string, leg = 0) => workbench.editors.editor(tapId)?.dominantHz(leg) ?? null,
  /** A leg's live waveform, from the live worker: columns folded in, pictures presented (none while hidden), kinds of the marks shown. */
  waveState: async (tapId: string, leg = 0) => (await workbench.editors.editor(tapId)?.waveState(leg)) ?? { columnsAdded: 0, draws: 0, packets: 0, marks: [] },
  /** Columns a leg's live waveform has folded in (a promise). */
  waveColumns: async (tapId: string, leg = 0) => (await workbench.editors.editor(tapId)?.waveState(leg))?.columnsAdded ?? 0,
  /** A tap's live waveform against a full redraw of its columns and marks, and each column's bar height in pixels. */
  waveCheck: (tapId: string, leg = 0) => workbench.editors.editor(tapId)?.waveCheck(leg) ?? null,
  /** The page's AudioContext state: 'suspended' while no tap is listened to ('none' before the first Listen). */
  audioState: () => workbench.audio.state,
  /** How each listened leg's player is fed: 'ring' (shared memory) or 'port'. */
  playerFeeds: (tapId: string) => workbench.editors.editor(tapId)?.feeds ?? [],
  playerStats: (tapId: string, leg = 0) => workbench.editors.editor(tapId)?.playerStats(leg) ?? null,
  taps: () => [...workbench.state.taps.values()],
  /** Switches the latency probe on or off; returns (and clears) the delays measured so far. */
  latency: async (on: boolean) => {
    workbench.live.setProbe(on);
    // Echoes of worklets fed by port, and arrivals in the shared rings of the others.
    return [...latencyProbe.samples.splice(0), ...(await workbench.live.ask<number[]>({ kind: 'probe-samples', at: 'ring' }))];
  },
  /** The same frames' delays up to the page's live worker (before the hop to the worklet); returns and clears them (a promise). */
  latencyAtPage: () => workbench.live.ask<number[]>({ kind: 'probe-samples', at: 'worker' }),
  /** The review editor of a recording: when its waveform was drawn, its regions, the player's state. */
  review: (name: string) => {
    const ed = workbench.editors.review(name);
    const ws = ed?.waveSurfer;
    if (!ed || !ws) return null;
    return {
      drawnAfterMs: ed.drawnAfterMs,
      duration: ws.getDuration(),
      currentTime: ws.getCurrentTime(),
      playing: ws.isPlaying(),
      rate: ws.getPlaybackRate(),
      regions: ed.regionsView?.plugin.getRegions().map((r) => ({ start: r.start, end: r.end, label: r.getContent(false) ?? '' })) ?? [],
    };
  },
  /** Benchmarks: open recordings the default wavesurfer way (fetch and decode whole) for a baseline. */
  reviewBaseline: (on: boolean) => {
    reviewBaseline.decodeInRenderer = on;
  },
  /** Opens a recording in the review editor (as the Recordings view's Open does). */
  openReview: (name: string) => {
    workbench.editors.openReview(name);
  },
  commands: () => workbench.commands.all().map((c) => ({ id: c.id, title: c.title, keybinding: c.keybinding ?? null })),
};

/**
 * The page's live worker: everything done per audio frame happens here, off the page's main
 * thread. It reads the data plane (the web host's /pcm socket, or Electron's per-tap ports),
 * folds each leg's waveform columns, draws the legs' transferred canvases a step of columns at a
 * time (about 25 pictures a second) and only while they can be seen, and passes each packet on, untouched, to the audio
 * worklet of a leg being listened to. The main thread only says what changed (a canvas shown or
 * hidden, a resize, findings, listening) and asks for figures in tests.
 */
import { decodePcmPacket } from '../../preload/pcm-wire.ts';
import { LegView } from './leg-view.ts';
import { PlayerRing } from './player-ring.ts';
import type { LivePalette, LiveQuestion, LiveReply, LiveRequest } from './live-protocol.ts';

/**
 * The shortest gap between two rounds of pictures: a guard against bursts (a stall's backlog
 * arriving at once). The pace itself is each view's step of columns (leg-view.ts, MIN_PICTURE_MS).
 */
const MIN_GAP_MS = 20;
/** Latency samples kept between two reads (the bench reads them every run). */
const MAX_PROBE_SAMPLES = 200_000;

declare const self: {
  onmessage: ((ev: MessageEvent<LiveRequest>) => void) | null;
  postMessage(msg: LiveReply): void;
};

const views = new Map<number, LegView>();
/** Views by tap number, then leg index: where a packet goes. */
const byTap = new Map<number, Map<number, LegView>>();
let palette: LivePalette = { waveBg: '#111417', waveFg: '#4fc3f7', warn: '#cca700', bad: '#f48771', info: '#007fd4', labelFg: '#d4d4d4', labelBg: '#1e1e1e' };
let probe = false;
/** Latency bench: arrival delays at this worker, and at the worklets' shared rings. */
let probeSamples: number[] = [];
let ringSamples: number[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
/** The web host's data-plane socket, and what this page last told it it hears and shows. */
let socket: WebSocket | undefined;
let announced = '';
let lastPicture = -Infinity;

function onPacket(data: ArrayBuffer, portTap?: number): void {
  const p = decodePcmPacket(data);
  if (!p) return;
  const view = byTap.get(portTap ?? p.tapNumber)?.get(p.leg);
  if (!view) return;
  if (probe && probeSamples.length < MAX_PROBE_SAMPLES) probeSamples.push(performance.timeOrigin + performance.now() - p.wallClockMs);
  view.push(p.samples, p.wallClockMs);
  const player = view.player;
  if (player && 'ring' in player) {
    // Shared memory: the worklet reads it at its next render quantum; no message to the audio thread.
    player.ring.write(p.samples);
    if (probe && ringSamples.length < MAX_PROBE_SAMPLES) ringSamples.push(performance.timeOrigin + performance.now() - p.wallClockMs);
  } else if (player) {
    // The packet itself goes on to the worklet (transferred, not copied); it is not read here after this.
    if (probe) player.port.postMessage({ buffer: data, stamp: p.wallClockMs }, [data]);
    else player.port.postMessage(data, [data]);
  }
  if (view.dirty) schedule();
}

/** One timer for every view: the pictures due are drawn together, at most every MIN_GAP_MS. */
function schedule(): void {
  if (timer !== undefined) return;
  timer = setTimeout(() => {
    timer = undefined;
    lastPicture = performance.now();
    for (const v of views.values()) if (v.dirty) v.picture(palette);
  }, Math.max(0, lastPicture + MIN_GAP_MS - performance.now()));
}

function answer(question: LiveQuestion): Extract<LiveReply, { kind: 'answer' }>['value'] {
  if (question.kind === 'probe-samples') {
    const out = question.at === 'ring' ? ringSamples : probeSamples;
    if (question.at === 'ring') ringSamples = [];
    else probeSamples = [];
    return out;
  }
  const view = views.get(question.id);
  if (!view) return null;
  if (question.kind === 'state') return view.state();
  if (question.kind === 'check') return view.check(palette);
  return view.hit(question.x);
}

/**
 * Tells the web host which taps this page hears and which it shows: audio that is only shown
 * (or neither) then comes in fewer, larger messages, each of which costs the browser a fixed amount.
 */
function announce(): void {
  if (socket?.readyState !== WebSocket.OPEN) return;
  const heard = new Set<number>();
  const shown = new Set<number>();
  for (const v of views.values()) {
    if (v.player) heard.add(v.tapNumber);
    if (v.visible) shown.add(v.tapNumber);
  }
  const text = JSON.stringify({ heard: [...heard].sort((a, b) => a - b), shown: [...shown].sort((a, b) => a - b) });
  if (text === announced) return;
  announced = text;
  socket.send(text);
}

function connectSocket(url: string): void {
  const ws = new WebSocket(url);
  socket = ws;
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => announce();
  ws.onmessage = (ev: MessageEvent<unknown>) => {
    if (ev.data instanceof ArrayBuffer) onPacket(ev.data);
  };
  ws.onclose = () => self.postMessage({ kind: 'source-closed', message: 'The audio connection to the Asterisk Tap host was lost.' });
}

self.onmessage = (ev) => {
  const msg = ev.data;
  switch (msg.kind) {
    case 'source-socket':
      return connectSocket(msg.url);
    case 'source-port': {
      const tapNumber = msg.tapNumber;
      msg.port.onmessage = (e: MessageEvent<unknown>) => {
        if (e.data instanceof ArrayBuffer) onPacket(e.data, tapNumber);
      };
      return msg.port.start();
    }
    case 'attach': {
      const view = new LegView(msg.tapNumber, msg.leg, msg.canvas, msg.width, msg.height, msg.seconds);
      views.set(msg.id, view);
      let legs = byTap.get(msg.tapNumber);
      if (!legs) byTap.set(msg.tapNumber, (legs = new Map()));
      legs.set(msg.leg, view);
      announce();
      return schedule();
    }
    case 'detach': {
      const view = views.get(msg.id);
      if (!view) return;
      views.delete(msg.id);
      if (view.player && 'port' in view.player) view.player.port.close();
      const legs = byTap.get(view.tapNumber);
      if (legs?.get(view.leg) === view) legs.delete(view.leg);
      if (legs?.size === 0) byTap.delete(view.tapNumber);
      return announce();
    }
    case 'palette':
      palette = msg.palette;
      views.forEach((v) => v.invalidate());
      return schedule();
    case 'probe':
      probe = msg.on;
      return;
    case 'ask':
      return self.postMessage({ kind: 'answer', reqId: msg.reqId, value: answer(msg.question) });
  }
  const view = views.get(msg.id);
  if (!view) {
    // A feed for a view already gone: close its port so nothing waits on it.
    if (msg.kind === 'listen' && msg.feed && 'port' in msg.feed) msg.feed.port.close();
    return;
  }
  if (msg.kind === 'visible') view.visible = msg.visible;
  else if (msg.kind === 'resize') view.resize(msg.width, msg.height);
  else if (msg.kind === 'marks') view.setMarks(msg.marks);
  else {
    if (view.player && 'port' in view.player) view.player.port.close();
    view.player = msg.feed === null ? null : 'ring' in msg.feed ? { ring: new PlayerRing(msg.feed.ring) } : { port: msg.feed.port };
  }
  if (msg.kind === 'visible' || msg.kind === 'listen') announce();
  if (view.dirty) schedule();
};

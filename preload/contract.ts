/**
 * The one typed contract between the renderer and the app's core, whichever host carries it
 * (Electron IPC or the web host's socket). Names are `domain:verb`. Types only, plus the channel
 * name lists used to validate what crosses the boundary: the renderer imports types only.
 */

/** Call-health findings from the detectors: kinds, severities, in-progress updates, leg levels. */
export type { Finding, FindingKind, FindingProgress, FindingSeverity, LegSummary } from './findings.ts';

/** Every way a tap can get its audio, as settings and flags name it (the one list). */
export const TRANSPORT_CHOICES = ['stream-channel', 'ari-media', 'auto'] as const;

/**
 * How an endpoint's taps get audio: stream-channel (res_ari_stream on /ws), ari-media (stock
 * Asterisk 20.16+: ARI snoop + chan_websocket), or auto (ari-media when ARI is set and the server
 * has it, resolved when a tap opens).
 */
export type TransportChoice = (typeof TRANSPORT_CHOICES)[number];

/** The transport that actually feeds a leg: a {@link TransportChoice} with auto resolved. */
export type TransportKind = Exclude<TransportChoice, 'auto'>;

/** A saved Asterisk endpoint. Secrets (passwords) are never part of it. */
export interface EndpointFields {
  id: string;
  name: string;
  /** stream-channel websocket, e.g. ws://pbx:8088/ws */
  wsUrl: string;
  /** ARI base URL, e.g. http://pbx:8088/ari (optional: without it channels are typed by hand). */
  ariUrl?: string;
  ariUser?: string;
  /** Basic-auth user for a proxy in front of /ws. */
  authUser?: string;
  /** Extra request headers for such a proxy. */
  headers: Record<string, string>;
  /** Accept a self-signed wss certificate: an explicit, per-endpoint choice. */
  allowSelfSigned: boolean;
  /**
   * How taps get audio: stream-channel (res_ari_stream on /ws), ari-media (stock Asterisk 20.16+:
   * ARI snoop + chan_websocket), or auto (ari-media when ARI is set and the server has it). Default auto.
   */
  transport?: TransportChoice;
}

/** An endpoint as the UI sees it: no secrets, only whether they are set. */
export interface EndpointView extends EndpointFields {
  hasAriPassword: boolean;
  hasAuthPassword: boolean;
  /** The built-in demo PBX: not editable, not deletable. */
  builtin: boolean;
}

/** What the endpoint form sends: the fields (no id for a new one) and passwords; an absent password keeps the stored one, "" clears it. */
export interface EndpointSaveRequest extends Omit<EndpointFields, 'id'> {
  id?: string;
  ariPassword?: string;
  authPassword?: string;
}

/** One live channel from ARI. */
export interface ChannelView {
  id: string;
  name: string;
  state: string;
  caller: string;
  connected: string;
  /** Seconds since the channel was created. */
  durationS: number;
}

/** Channels grouped by call (bridged legs together, and the two ends of a Local channel). */
export interface CallView {
  legs: ChannelView[];
}

/** The live calls of an endpoint, without the channels Asterisk Tap itself made to tap. */
export interface ChannelListView {
  calls: CallView[];
  /** How many helper channels (Snoop/…, WebSocket/… of any Asterisk Tap instance) were left out: shown, so nothing is hidden without notice. */
  hiddenHelpers: number;
}

export type TapStateName = 'connecting' | 'open' | 'silent' | 'streaming' | 'ended' | 'failed';

/** One leg (one channel) of a tap. */
export interface LegView {
  index: number;
  channel: string;
  /** Which transport feeds this leg, and for ari-media which direction. */
  transport: TransportKind;
  direction: 'in' | 'out';
  state: TapStateName;
  reason: string | null;
  message: string | null;
}

export interface TapStatsView {
  frames: number;
  bytes: number;
  gaps: number;
  drops: number;
  peakDbfs: number;
  rmsDbfs: number;
}

export interface RecordingView {
  path: string;
  bytes: number;
  durationMs: number;
  /** Set when the recording ended by itself (disk error, call ended). */
  error?: string;
}

/** Per-leg mono files, one stereo file of a two-leg call (leg A left, leg B right), or both. */
export type RecordMode = 'legs' | 'call' | 'call+legs';

/** A tap: one or more legs opened together (a channel, or every leg of a call). */
export interface TapView {
  id: string;
  /** Routes this tap's PCM on the data plane. */
  number: number;
  endpointId: string;
  title: string;
  legs: LegView[];
  recording: RecordingView[] | null;
  /** What "Record" writes for this tap: a file per leg, one stereo file of the call (two legs), or both. */
  recordMode: RecordMode;
  /** Why the last recording ended by itself (disk full, permission denied), until the next one starts. */
  recordingError: string | null;
  /** Stopped by the user: detached and draining until the call ends. */
  detached: boolean;
}

export interface ProbeView {
  verdict: string;
  summary: string;
  reason: string | null;
  handshakeMs: number | null;
  firstFrameMs: number | null;
  frames: number;
}

/** A file in the recordings folder, as its header describes it. */
export interface RecordingEntry {
  name: string;
  bytes: number;
  durationMs: number;
  /** Wall-clock time of the first sample (from the file's metadata). */
  startedAt: string | null;
  channel: string | null;
  endpoint: string | null;
  channels: number;
  note?: string;
  /** Fixed at start after a crash left it unfinished. */
  repaired: boolean;
  /** Why the file cannot be read; it is listed anyway. */
  damaged?: string;
}

/** A marker (no end) or a labelled region on a recording, in ms from its first sample. */
export interface ReviewMarker {
  atMs: number;
  endMs?: number;
  label: string;
  /** Set when a detector or the network raised it (a finding of that kind); absent for the user's own. */
  kind?: FindingViewKind;
  severity?: FindingViewSeverity;
  /** The leg (channel of a stereo call file) it is about, or null for the whole call. */
  leg?: number | null;
}

/** What the review editor needs to show a recording without decoding it. */
export interface RecordingDetail {
  entry: RecordingEntry;
  sampleRate: number;
  /** Same-origin URL of the audio, served with HTTP range requests (app protocol or web host). */
  audioUrl: string;
  /** Same-origin URL of a spectrogram computed in main ([channel][column][bin], 0..255). */
  spectrogramUrl: string;
  /** Waveform overview computed in main: per channel, `peaksPerSecond` values of 0..scale. */
  peaks: { peaksPerSecond: number; scale: number; data: number[][]; cached: boolean };
  markers: ReviewMarker[];
}

/** One clip to export: a span of the recording and the label its file is named from. */
export interface ExportClip {
  startMs: number;
  endMs: number;
  label?: string;
}

/** An export as it runs; sent as `export:progress` until it is done, cancelled or failed. */
export interface ExportJobView {
  jobId: string;
  source: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  doneBytes: number;
  totalBytes: number;
  /** Written files: where they are, and in the web host the URL that downloads them. */
  files: { name: string; path: string; downloadUrl?: string; durationMs: number }[];
  message: string | null;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  recordingsDir: string;
  secretProtection: string;
  /** Messages to show once (e.g. a damaged endpoint file was reset). */
  notices: string[];
}

/**
 * What a finding shown live or in review is about: the detectors' kinds on the audio, and
 * `network` (Asterisk's RTP figures).
 */
export type FindingViewKind = 'silence' | 'one-way' | 'clipping' | 'dropout' | 'echo' | 'dtmf' | 'tone' | 'network';
export type FindingViewSeverity = 'info' | 'warning' | 'error';

/**
 * Something wrong (or worth knowing) about a tap's call, live. Sent as `tap:finding` when it
 * starts, while it grows (silence, one-way, network trouble in progress: `endedAt` null) and when
 * it ends; the same `id` each time.
 */
export interface FindingView {
  id: string;
  tapId: string;
  kind: FindingViewKind;
  severity: FindingViewSeverity;
  /** The leg it is about (index in the tap), or null for the whole call. */
  leg: number | null;
  /** The channel of that leg (or the tap's title for the whole call). */
  channel: string;
  message: string;
  /** Findings with the same key on one tap are repeats of one problem (the Problems panel counts them). */
  key: string;
  /** Wall-clock ms of its start and end (null while in progress). */
  startedAt: number;
  endedAt: number | null;
  /** Kind-specific figures, e.g. lossPct/jitterMs/rttMs (network), delayMs/lossDb (echo), digit, hz. */
  figures?: Record<string, number | string>;
}

/** Asterisk's view of one leg's RTP over the last poll (every 2 s), for the strip under its waveform. */
export interface NetworkFiguresView {
  /** Packets lost in the last interval, % of those expected, in the leg's direction. */
  lossPct: number;
  /** Interarrival jitter in ms, in the leg's direction. */
  jitterMs: number;
  /** Round-trip time in ms (RTCP); 0 until the first RTCP report. */
  rttMs: number;
  /** Media Experience Score 0-100 (recent Asterisk versions), else null. */
  mes: number | null;
}

/** Thresholds above which network figures raise findings (settings; defaults 2 %, 30 ms, 300 ms). */
export interface NetworkThresholds {
  lossPct: number;
  jitterMs: number;
  rttMs: number;
}

/**
 * Sent as `tap:network` per tap per leg after each poll of ARI's rtp_statistics (only where the
 * endpoint has ARI). `no-rtp`: the channel type has none (Local, WebSocket: Asterisk answers 403);
 * `gone`: the channel hung up; `error`: the poll failed (it goes on); `waiting`: no figures yet.
 */
export interface NetworkView {
  tapId: string;
  leg: number;
  status: 'ok' | 'waiting' | 'no-rtp' | 'gone' | 'error';
  figures: NetworkFiguresView | null;
  thresholds: NetworkThresholds;
  message: string | null;
  /** Wall-clock ms of the poll. */
  atMs: number;
}

/** Requests the renderer makes, each answered once. */
export interface InvokeMap {
  'app:info': { req: void; res: AppInfo };
  'endpoints:list': { req: void; res: EndpointView[] };
  'endpoints:save': { req: EndpointSaveRequest; res: EndpointView };
  'endpoints:delete': { req: { id: string }; res: void };
  'endpoints:duplicate': { req: { id: string }; res: EndpointView };
  'endpoints:test': { req: { id: string; channel?: string }; res: ProbeView };
  'channels:list': { req: { endpointId: string }; res: ChannelListView };
  'tap:open': { req: { endpointId: string; channels: string[]; title?: string }; res: TapView };
  'tap:stop': { req: { tapId: string }; res: void };
  'tap:record': { req: { tapId: string; on: boolean; mode?: RecordMode }; res: TapView };
  'tap:marker': { req: { tapId: string; label?: string }; res: { atMs: number } };
  'tap:list': { req: void; res: TapView[] };
  /** What the open taps found so far and their latest network figures (a reloaded page catches up). */
  'tap:findings': { req: void; res: { findings: FindingView[]; network: NetworkView[] } };
  /** Instant replay: writes the last `seconds` (default 30, at most 120) of each leg, recording or not. */
  'tap:saveReplay': { req: { tapId: string; seconds?: number }; res: RecordingView[] };
  'recordings:list': { req: void; res: RecordingEntry[] };
  'recordings:rename': { req: { name: string; newName: string }; res: void };
  'recordings:delete': { req: { name: string }; res: void };
  /** Peaks (computed once, cached beside the file), URLs and markers for the review editor. */
  'recordings:open': { req: { name: string }; res: RecordingDetail };
  /** Replaces the recording's markers and labelled regions (its .markers.json; the WAV is untouched). */
  'recordings:saveMarkers': { req: { name: string; markers: ReviewMarker[] }; res: void };
  /**
   * Exports clips as new WAVs with the source's metadata (the source is only read). The desktop app
   * asks where to save; the web host prepares downloads. Null when the user cancelled the dialog.
   */
  'recordings:export': { req: { name: string; clips: ExportClip[] }; res: ExportJobView | null };
  'recordings:cancelExport': { req: { jobId: string }; res: void };
  /** Shows the file in the OS file manager (desktop app only). */
  'recordings:reveal': { req: { name: string }; res: void };
  /** Changes the recordings folder (checked writable, kept for next time); without a path the desktop app asks with a dialog. */
  'recordings:setFolder': { req: { path?: string }; res: AppInfo };
  /** The renderer's commands, so the Electron menu offers the same ones as the palette. */
  'app:setCommands': { req: { commands: CommandInfo[] }; res: void };
}

/** A command as menus show it. */
export interface CommandInfo {
  id: string;
  title: string;
  keybinding: string | null;
}

export interface LogEntry {
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Events main sends without being asked. */
export interface EventMap {
  'tap:changed': TapView;
  'tap:stats': { tapId: string; legs: TapStatsView[]; recordingMs: number | null; recordingBytes: number | null };
  'log:entry': LogEntry;
  'endpoints:changed': EndpointView[];
  /** A menu item was chosen: run this command. */
  'command:run': { id: string };
  'export:progress': ExportJobView;
  /** A finding on a tap started, grew or ended (see {@link FindingView}). */
  'tap:finding': FindingView;
  /** A leg's RTP figures from Asterisk, after each poll (see {@link NetworkView}). */
  'tap:network': NetworkView;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;

/** Every invoke channel, for validating what arrives (a record so a missing one is a compile error). */
const INVOKE: Record<InvokeChannel, true> = {
  'app:info': true,
  'endpoints:list': true,
  'endpoints:save': true,
  'endpoints:delete': true,
  'endpoints:duplicate': true,
  'endpoints:test': true,
  'channels:list': true,
  'tap:open': true,
  'tap:stop': true,
  'tap:record': true,
  'tap:marker': true,
  'tap:list': true,
  'tap:findings': true,
  'tap:saveReplay': true,
  'recordings:list': true,
  'recordings:rename': true,
  'recordings:delete': true,
  'recordings:open': true,
  'recordings:saveMarkers': true,
  'recordings:export': true,
  'recordings:cancelExport': true,
  'recordings:reveal': true,
  'recordings:setFolder': true,
  'app:setCommands': true,
};
export const INVOKE_CHANNELS = Object.keys(INVOKE) as InvokeChannel[];
const EVENTS: Record<EventChannel, true> = { 'tap:changed': true, 'tap:stats': true, 'log:entry': true, 'endpoints:changed': true, 'command:run': true, 'export:progress': true, 'tap:finding': true, 'tap:network': true };
export const EVENT_CHANNELS = Object.keys(EVENTS) as EventChannel[];

export function isInvokeChannel(v: unknown): v is InvokeChannel {
  return typeof v === 'string' && Object.hasOwn(INVOKE, v);
}

/** An error as it crosses the bridge: a stable code and a sentence. */
export interface BridgeError {
  code: string;
  message: string;
  fields?: { field: string; message: string }[];
}

// PCM travels on its own data plane; its wire format is defined once, in preload/pcm-wire.ts.

/** The bridge the workbench uses, over Electron IPC (wrapping `window.tap`) or the web host's socket. */
export interface TapBridge {
  invoke<C extends InvokeChannel>(channel: C, req: InvokeMap[C]['req']): Promise<InvokeMap[C]['res']>;
  /** Subscribes to an event; returns the unsubscribe. */
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
  /** Receives PCM batches of a tap (by its number); returns the unsubscribe. */
  onPcm(tapNumber: number, listener: (leg: number, wallClockMs: number, samples: Int16Array) => void): () => void;
}

/** What an invoke answers across Electron IPC: errors travel as data so their code survives. */
export type InvokeResult<T> = { ok: true; res: T } | { ok: false; error: BridgeError };

/** What the preload exposes as `window.tap`; the renderer wraps it into a {@link TapBridge} (errors rebuilt). */
export interface ElectronPreloadApi {
  invoke<C extends InvokeChannel>(channel: C, req: InvokeMap[C]['req']): Promise<InvokeResult<InvokeMap[C]['res']>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
  onPcm(tapNumber: number, listener: (leg: number, wallClockMs: number, samples: Int16Array) => void): () => void;
}

/** The app protocol's origin: the only sender main accepts IPC from. */
export const APP_ORIGIN = 'app://renderer';

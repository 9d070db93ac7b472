/**
 * The one typed contract between the renderer and the app's core, whichever host carries it
 * (Electron IPC or the web host's socket). Names are `domain:verb`. Types only, plus the channel
 * name lists used to validate what crosses the boundary: the renderer imports types only.
 */

import type { ErrorCode } from './error-codes.ts';

/** Call-health findings from the detectors: kinds, severities, in-progress updates, leg levels. */
export type { Finding, FindingKind, FindingProgress, FindingSeverity, LegSummary } from './findings.ts';
import type { FindingKind, FindingSeverity } from './findings.ts';

/** Stable error codes: the registry and its type (see preload/error-codes.ts). */
export type { ErrorCode } from './error-codes.ts';

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
  /** Stable id (a UUID; "builtin-demo" for the demo PBX). */
  id: string;
  /** What the user calls it, shown in lists and saved in recordings' metadata. */
  name: string;
  /** stream-channel websocket, e.g. ws://pbx:8088/ws */
  wsUrl: string;
  /** ARI base URL, e.g. http://pbx:8088/ari (optional: without it channels are typed by hand). */
  ariUrl?: string;
  /** ARI user name (ari.conf); its password is a secret, kept apart. */
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
  /** An ARI password is stored (the password itself never reaches the UI). */
  hasAriPassword: boolean;
  /** A proxy Basic-auth password is stored. */
  hasAuthPassword: boolean;
  /** The built-in demo PBX: not editable, not deletable. */
  builtin: boolean;
}

/** What the endpoint form sends: the fields (no id for a new one) and passwords; an absent password keeps the stored one, "" clears it. */
export interface EndpointSaveRequest extends Omit<EndpointFields, 'id'> {
  /** The endpoint to change; absent for a new one. */
  id?: string;
  /** New ARI password: absent keeps the stored one, "" clears it. */
  ariPassword?: string;
  /** New proxy password: absent keeps the stored one, "" clears it. */
  authPassword?: string;
}

/** One live channel from ARI. */
export interface ChannelView {
  /** Asterisk's uniqueid (with the system name prefix where set). */
  id: string;
  /** Channel name, e.g. PJSIP/alice-00000001 (case-sensitive). */
  name: string;
  /** Asterisk's channel state, e.g. Up, Ring. */
  state: string;
  /** Caller ID as "name <number>" (empty when unknown). */
  caller: string;
  /** Connected line as "name <number>" (empty when unknown). */
  connected: string;
  /** Seconds since the channel was created. */
  durationS: number;
}

/** Channels grouped by call (bridged legs together, and the two ends of a Local channel). */
export interface CallView {
  /** The call's channels, in the order ARI lists them. */
  legs: ChannelView[];
}

/** The live calls of an endpoint, without the channels Asterisk Tap itself made to tap. */
export interface ChannelListView {
  /** One entry per call (a lone channel is a call of one leg). */
  calls: CallView[];
  /** How many helper channels (Snoop/…, WebSocket/… of any Asterisk Tap instance) were left out: shown, so nothing is hidden without notice. */
  hiddenHelpers: number;
}

/**
 * Where a leg is: `connecting` (handshake), `open` (accepted, no audio yet), `silent` (open but no
 * frames for a while: hold, DTX, a muted side), `streaming` (audio arriving), then `ended` (the
 * call or the tap ended normally) or `failed`.
 */
export type TapState = 'connecting' | 'open' | 'silent' | 'streaming' | 'ended' | 'failed';

/** Why a tap ended normally: the channel never existed, the call hung up, or the user closed it. */
export type TapEndReason = 'channel-not-found' | 'call-ended' | 'closed-by-user';

/** Why a tap failed. Stable strings (also error codes): they cross IPC, appear in JSON output and map to CLI exit codes. */
export type TapFailReason =
  | 'invalid-url'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls'
  | `http-${number}`
  | 'protocol'
  | 'connection-lost'
  | 'unauthorized'
  | 'unsupported'
  | 'media-window';

/** Why a tap ended or failed (see {@link TapEndReason}, {@link TapFailReason}). */
export type TapReason = TapEndReason | TapFailReason;

/** One leg (one channel) of a tap. */
export interface LegView {
  /** Position in the tap: 0, or 0 and 1 for a call (the data plane's leg number). */
  index: number;
  /** The channel as the user named it (name or uniqueid). */
  channel: string;
  /** Which transport feeds this leg, and for ari-media which direction. */
  transport: TransportKind;
  /** in: what the channel reads (stream-channel always); out: what Asterisk sends it (ari-media). */
  direction: 'in' | 'out';
  /** Where the leg is now. */
  state: TapState;
  /** Why the leg ended or failed, once it did; null while it runs. */
  reason: TapReason | null;
  /** The reason in words, for people; null while the leg runs. */
  message: string | null;
}

/** A leg's live figures, sent 4 times a second: counts and levels from the tap's stats stage, drops from its recorders. */
export interface TapStatsView {
  /** Audio messages received on this leg. */
  frames: number;
  /** Audio bytes received (SLIN16: 32 000 per second). */
  bytes: number;
  /** Arrival gaps longer than 40 ms (twice Asterisk's 20 ms pace). */
  gaps: number;
  /** Chunks a recording could not take because the disk was too slow (the call's stereo file counts on leg 0). */
  drops: number;
  /** Meter peak in dBFS (-120 for silence): rises at once, falls back about 20 dB per second. */
  peakDbfs: number;
  /** RMS of the latest audio in dBFS (-120 for silence). */
  rmsDbfs: number;
}

/** A file of a recording as it is written (or, after Save last, as it was saved). */
export interface RecordingView {
  /** Absolute path of the WAV file. */
  path: string;
  /** Audio bytes written so far (the header excluded). */
  bytes: number;
  /** Audio duration written so far, ms. */
  durationMs: number;
  /** Set when the recording ended by itself (disk error, call ended). */
  error?: string;
}

/** Per-leg mono files, one stereo file of a two-leg call (leg A left, leg B right), or both. */
export type RecordMode = 'legs' | 'call' | 'call+legs';

/** A tap: one or more legs opened together (a channel, or every leg of a call). */
export interface TapView {
  /** Stable id of the tap (what requests name). */
  id: string;
  /** Routes this tap's PCM on the data plane. */
  number: number;
  /** The endpoint the tap was opened on. */
  endpointId: string;
  /** The tab's title: the channel, the call's channels, or "channel (in + out)". */
  title: string;
  /** The tap's legs, by index. */
  legs: LegView[];
  /** The files being written (the call's stereo file first), or null when not recording. */
  recording: RecordingView[] | null;
  /** What "Record" writes for this tap: a file per leg, one stereo file of the call (two legs), or both. */
  recordMode: RecordMode;
  /** Why the last recording ended by itself (disk full, permission denied), until the next one starts. */
  recordingError: string | null;
  /** Stopped by the user: detached and draining until the call ends. */
  detached: boolean;
}

/** What an endpoint test found (the CLI's probe, in short). */
export interface ProbeView {
  /** One word for the result, e.g. ok, silent, not-found, refused. */
  verdict: string;
  /** What was found, in a sentence. */
  summary: string;
  /** The tap reason (see TapReason) when the probe ended or failed, else null. */
  reason: string | null;
  /** Time to the websocket handshake, ms; null when it did not complete. */
  handshakeMs: number | null;
  /** Time from open to the first audio frame, ms; null when none came. */
  firstFrameMs: number | null;
  /** Audio frames received during the probe. */
  frames: number;
}

/** A file in the recordings folder, as its header describes it. */
export interface RecordingEntry {
  /** File name inside the recordings folder (what requests name). */
  name: string;
  /** File size in bytes. */
  bytes: number;
  /** Audio duration from the header, ms. */
  durationMs: number;
  /** Wall-clock time of the first sample (from the file's metadata). */
  startedAt: string | null;
  /** The tapped channel(s) from the file's metadata, if any. */
  channel: string | null;
  /** The endpoint's name from the file's metadata, if any. */
  endpoint: string | null;
  /** Audio channels: 1 for a leg, 2 for a call's stereo file. */
  channels: number;
  /** Free text from the metadata (e.g. "instant replay: the last 30.0 s"). */
  note?: string;
  /** Fixed at start after a crash left it unfinished. */
  repaired: boolean;
  /** Why the file cannot be read; it is listed anyway. */
  damaged?: string;
  /** Findings kept in its sidecar, by severity (absent when it has none, or was never analysed). */
  findings?: Record<FindingViewSeverity, number>;
}

/** A marker (no end) or a labelled region on a recording, in ms from its first sample. */
export interface ReviewMarker {
  /** Where it is (its start, for a region), ms from the first sample. */
  atMs: number;
  /** Where a region ends, ms; absent for a marker. */
  endMs?: number;
  /** What the user (or the finding) says about it. */
  label: string;
  /** Set when a detector or the network raised it (a finding of that kind); absent for the user's own. */
  kind?: FindingViewKind;
  /** How bad a finding is; absent for the user's own. */
  severity?: FindingViewSeverity;
  /** The leg (channel of a stereo call file) it is about, or null for the whole call. */
  leg?: number | null;
}

/** What the review editor needs to show a recording without decoding it. */
export interface RecordingDetail {
  /** The file as the recordings list shows it. */
  entry: RecordingEntry;
  /** Samples per second of the audio (16 000 for SLIN16). */
  sampleRate: number;
  /** Same-origin URL of the audio, served with HTTP range requests (app protocol or web host). */
  audioUrl: string;
  /** Same-origin URL of a spectrogram computed in main ([channel][column][bin], 0..255). */
  spectrogramUrl: string;
  /** Waveform overview computed in main: per channel, `peaksPerSecond` values of 0..scale. */
  peaks: { peaksPerSecond: number; scale: number; data: number[][]; cached: boolean };
  /** Markers and regions from the file's .markers.json (the user's and findings). */
  markers: ReviewMarker[];
}

/** One clip to export: a span of the recording and the label its file is named from. */
export interface ExportClip {
  /** Start of the clip, ms from the recording's first sample. */
  startMs: number;
  /** End of the clip (exclusive), ms. */
  endMs: number;
  /** Names the clip's file; a default is made from the times when absent. */
  label?: string;
}

/** An export as it runs; sent as `export:progress` until it is done, cancelled or failed. */
export interface ExportJobView {
  /** Names the job in progress events and cancel requests. */
  jobId: string;
  /** The recording the clips come from (file name). */
  source: string;
  /** running until the last file is written, then done, cancelled or failed. */
  state: 'running' | 'done' | 'cancelled' | 'failed';
  /** Audio bytes written so far, for the progress bar. */
  doneBytes: number;
  /** Audio bytes all clips will have. */
  totalBytes: number;
  /** Written files: where they are, and in the web host the URL that downloads them. */
  files: { name: string; path: string; downloadUrl?: string; durationMs: number }[];
  /** Why it failed (or what was cancelled), for people; null otherwise. */
  message: string | null;
}

/** What the workbench needs to know of the app at start. */
export interface AppInfo {
  /** The app's version (package.json). */
  version: string;
  /** Which host runs the core: the desktop app (electron) or the web host (asterisk-tap serve). */
  host: 'electron' | 'web';
  /** Where recordings go (absolute path). */
  recordingsDir: string;
  /** How stored passwords are protected, in words (OS keychain, file permissions). */
  secretProtection: string;
  /** Messages to show once (e.g. a damaged endpoint file was reset). */
  notices: string[];
}

/**
 * What a finding shown live or in review is about: the detectors' kinds on the audio, and
 * `network` (Asterisk's RTP figures).
 */
export type FindingViewKind = FindingKind | 'network';
/** How bad a finding is: info (worth knowing, e.g. a DTMF digit), warning, error. */
export type FindingViewSeverity = FindingSeverity;

/**
 * Something wrong (or worth knowing) about a tap's call, live. Sent as `tap:finding` when it
 * starts, while it grows (silence, one-way, network trouble in progress: `endedAt` null) and when
 * it ends; the same `id` each time.
 */
export interface FindingView {
  /** Stable for the finding's life: later updates replace the earlier ones. */
  id: string;
  /** The tap it was found on. */
  tapId: string;
  /** What it is about. */
  kind: FindingViewKind;
  /** How bad it is: the Problems panel's icon and the health badge. */
  severity: FindingViewSeverity;
  /** The leg it is about (index in the tap), or null for the whole call. */
  leg: number | null;
  /** The channel of that leg (or the tap's title for the whole call). */
  channel: string;
  /** What was found, in a sentence. */
  message: string;
  /** Findings with the same key on one tap are repeats of one problem (the Problems panel counts them). */
  key: string;
  /** Wall-clock ms of its start and end (null while in progress). */
  startedAt: number;
  /** Wall-clock ms of its end; null while in progress. */
  endedAt: number | null;
  /** True when a stretch shown in progress ended without becoming a finding (too short): remove it. */
  withdrawn?: boolean;
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
  /** Loss above this % of expected packets is a finding. */
  lossPct: number;
  /** Jitter above this many ms is a finding. */
  jitterMs: number;
  /** Round-trip time above this many ms is a finding. */
  rttMs: number;
}

/**
 * Sent as `tap:network` per tap per leg after each poll of ARI's rtp_statistics (only where the
 * endpoint has ARI). `no-rtp`: the channel type has none (Local, WebSocket: Asterisk answers 403);
 * `gone`: the channel hung up; `error`: the poll failed (it goes on); `waiting`: no figures yet.
 */
export interface NetworkView {
  /** The tap the leg belongs to. */
  tapId: string;
  /** The leg (index in the tap). */
  leg: number;
  /** What the poll found (see above). */
  status: 'ok' | 'waiting' | 'no-rtp' | 'gone' | 'error';
  /** The figures when status is ok, else null. */
  figures: NetworkFiguresView | null;
  /** The thresholds in force, for drawing the strip's limits. */
  thresholds: NetworkThresholds;
  /** Why there are no figures (no RTP, gone, error), for people; null when ok. */
  message: string | null;
  /** Wall-clock ms of the poll. */
  atMs: number;
}

/** Requests the renderer makes, each answered once. */
export interface InvokeMap {
  /** The app's version, host, recordings folder and one-time notices. */
  'app:info': { req: void; res: AppInfo };
  /** Every endpoint, the demo PBX first. */
  'endpoints:list': { req: void; res: EndpointView[] };
  /** Creates or changes an endpoint (validated; field errors come back in BridgeError.fields). */
  'endpoints:save': { req: EndpointSaveRequest; res: EndpointView };
  /** Deletes an endpoint and its secrets (not the built-in demo). */
  'endpoints:delete': { req: { id: string }; res: void };
  /** Copies an endpoint (secrets included) under a new name. */
  'endpoints:duplicate': { req: { id: string }; res: EndpointView };
  /** Probes the endpoint: handshake, and a channel's first audio when one is given. */
  'endpoints:test': { req: { id: string; channel?: string }; res: ProbeView };
  /** The endpoint's live calls from ARI (needs ARI on the endpoint). */
  'channels:list': { req: { endpointId: string }; res: ChannelListView };
  /** Opens a tap on one channel or on the legs of a call; it connects at once. */
  'tap:open': { req: { endpointId: string; channels: string[]; title?: string }; res: TapView };
  /** Stops a tap: recordings are finished, sockets drain until Asterisk closes them. */
  'tap:stop': { req: { tapId: string }; res: void };
  /** Starts (on) or stops recording a tap, as per-leg files, the call's stereo file, or both. */
  'tap:record': { req: { tapId: string; on: boolean; mode?: RecordMode }; res: TapView };
  /** Drops a marker at the current recording time; answers where it went. */
  'tap:marker': { req: { tapId: string; label?: string }; res: { atMs: number } };
  /** The open taps (not the stopped ones still draining). */
  'tap:list': { req: void; res: TapView[] };
  /** What the open taps found so far and their latest network figures (a reloaded page catches up). */
  'tap:findings': { req: void; res: { findings: FindingView[]; network: NetworkView[] } };
  /** Instant replay: writes the last `seconds` (default 30, at most 120) of each leg, recording or not. */
  'tap:saveReplay': { req: { tapId: string; seconds?: number }; res: RecordingView[] };
  /** The recordings folder's WAV files, newest first, damaged ones included. */
  'recordings:list': { req: void; res: RecordingEntry[] };
  /** Renames a recording and its sidecars (never overwrites). */
  'recordings:rename': { req: { name: string; newName: string }; res: void };
  /** Moves a recording and its sidecars to the trash. */
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
  /** Stops an export; files already written stay, the one in progress is removed. */
  'recordings:cancelExport': { req: { jobId: string }; res: void };
  /**
   * Runs the detectors over a recording (e.g. one made before they existed); their findings
   * replace the detectors' earlier ones in its sidecar. Answers the sidecar's markers after;
   * progress comes as `recordings:analyzeProgress`.
   */
  'recordings:analyze': { req: { name: string }; res: ReviewMarker[] };
  /** Shows the file in the OS file manager (desktop app only). */
  'recordings:reveal': { req: { name: string }; res: void };
  /** Changes the recordings folder (checked writable, kept for next time); without a path the desktop app asks with a dialog. */
  'recordings:setFolder': { req: { path?: string }; res: AppInfo };
  /** The renderer's commands, so the Electron menu offers the same ones as the palette. */
  'app:setCommands': { req: { commands: CommandInfo[] }; res: void };
}

/** A command as menus show it. */
export interface CommandInfo {
  /** The command's id, e.g. tap.saveReplay. */
  id: string;
  /** What menus and the palette show. */
  title: string;
  /** Its shortcut as shown (e.g. Ctrl+Shift+S), or null. */
  keybinding: string | null;
}

/** One line of the Output panel. */
export interface LogEntry {
  /** When, as an ISO 8601 time. */
  at: string;
  /** info, warn or error: the Output panel colours it. */
  level: 'info' | 'warn' | 'error';
  /** The line, in words. */
  message: string;
}

/** Events main sends without being asked. */
export interface EventMap {
  /** A tap's state, legs or recording changed. */
  'tap:changed': TapView;
  /** Every open tap's live figures, 4 times a second: per leg, and the recording so far. */
  'tap:stats': { tapId: string; legs: TapStatsView[]; recordingMs: number | null; recordingBytes: number | null };
  /** A line for the Output panel. */
  'log:entry': LogEntry;
  /** The endpoint list changed (saved, deleted, from another window). */
  'endpoints:changed': EndpointView[];
  /** A menu item was chosen: run this command. */
  'command:run': { id: string };
  /** An export's progress, until it is done, cancelled or failed. */
  'export:progress': ExportJobView;
  /** A finding on a tap started, grew or ended (see {@link FindingView}). */
  'tap:finding': FindingView;
  /** A leg's RTP figures from Asterisk, after each poll (see {@link NetworkView}). */
  'tap:network': NetworkView;
  /** How far `recordings:analyze` has read a recording, in seconds of audio. */
  'recordings:analyzeProgress': { name: string; doneS: number; totalS: number };
}

/** The name of a request. */
export type InvokeChannel = keyof InvokeMap;
/** The name of an event. */
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
  'recordings:analyze': true,
  'recordings:reveal': true,
  'recordings:setFolder': true,
  'app:setCommands': true,
};
/** Every request name, for validating what arrives. */
export const INVOKE_CHANNELS = Object.keys(INVOKE) as InvokeChannel[];
const EVENTS: Record<EventChannel, true> = { 'tap:changed': true, 'tap:stats': true, 'log:entry': true, 'endpoints:changed': true, 'command:run': true, 'export:progress': true, 'tap:finding': true, 'tap:network': true, 'recordings:analyzeProgress': true };
/** Every event name, for validating subscriptions. */
export const EVENT_CHANNELS = Object.keys(EVENTS) as EventChannel[];

/** True for a known request name (checked before anything is routed). */
export function isInvokeChannel(v: unknown): v is InvokeChannel {
  return typeof v === 'string' && Object.hasOwn(INVOKE, v);
}

/** An error as it crosses the bridge: a stable code and a sentence. */
export interface BridgeError {
  /** What failed, from the one registry (preload/error-codes.ts): stable, for code to act on. */
  code: ErrorCode;
  /** What happened and what to do, for a person. */
  message: string;
  /** For a form: which fields are wrong and why (endpoint validation). */
  fields?: { field: string; message: string }[];
}

// PCM travels on its own data plane; its wire format is defined once, in preload/pcm-wire.ts.

/**
 * A DOM MessagePort as far as the contract needs it (the contract is also compiled for main,
 * without DOM types): what the page's ports are, structurally.
 */
export interface PcmPort {
  /** Starts delivering the port's messages (the live worker calls it once it listens). */
  start(): void;
  /** Closes the port (the tap ended or the page goes away). */
  close(): void;
}

/**
 * Where the page's data plane comes from. The page's live worker reads it, so audio never passes
 * through the page's main thread.
 */
export type PcmSource =
  /** The web host: a WebSocket (same origin, the host's cookie) carrying every tap's PCM packets. */
  | { kind: 'socket'; url: string }
  /**
   * Electron: one MessagePort per tap, posted by the preload into the page as a window message
   * (`PCM_PORT_MESSAGE` in pcm-wire.ts); `onPort` hands each to the listener, once; returns the unsubscribe.
   */
  | { kind: 'ports'; onPort(listener: (tapNumber: number, port: PcmPort) => void): () => void };

/** The bridge the workbench uses, over Electron IPC (wrapping `window.tap`) or the web host's socket. */
export interface TapBridge {
  /** Sends a request and resolves with its answer; rejects with the BridgeError (code and message). */
  invoke<C extends InvokeChannel>(channel: C, req: InvokeMap[C]['req']): Promise<InvokeMap[C]['res']>;
  /** Subscribes to an event; returns the unsubscribe. */
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
  /** Where this page's PCM comes from (read by its live worker, not by the page's main thread). */
  pcmSource(): PcmSource;
}

/** What an invoke answers across Electron IPC: errors travel as data so their code survives. */
export type InvokeResult<T> = { ok: true; res: T } | { ok: false; error: BridgeError };

/** What the preload exposes as `window.tap`; the renderer wraps it into a {@link TapBridge} (errors rebuilt). */
export interface ElectronPreloadApi {
  /** Sends a request over IPC; the answer or the error comes back as data. */
  invoke<C extends InvokeChannel>(channel: C, req: InvokeMap[C]['req']): Promise<InvokeResult<InvokeMap[C]['res']>>;
  /** Subscribes to an event; returns the unsubscribe. */
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
}

/** The app protocol's origin: the only sender main accepts IPC from. */
export const APP_ORIGIN = 'app://renderer';

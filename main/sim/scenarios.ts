import type { ChannelSpec } from './sim-model.ts';
import {
  MILLIWATT_HZ,
  MILLIWATT_PEAK,
  clippingSource,
  dtmfEndAt,
  dtmfWithDropoutSource,
  dropoutSource,
  echoSource,
  inbandDtmfSource,
  silentSource,
  speechSource,
  toneSource,
} from './signal-generators.ts';

/** A call the demo PBX runs: its legs and whether they share a bridge. */
export interface Scenario {
  name: string;
  bridged: boolean;
  legs: (suffix: string) => ChannelSpec[];
}

/** Alice and Bob take 3-second turns; each channel reads only its own party's voice. */
const TURN_FRAMES = 150;
const aliceTalking = (frame: number): boolean => Math.floor(frame / TURN_FRAMES) % 2 === 0;
const bobTalking = (frame: number): boolean => !aliceTalking(frame);

const dial = (exten: string, app: string, data: string, priority = 1) => ({ context: 'demo', exten, priority, app_name: app, app_data: data });

/** Calls with known faults, for the detectors (issue 12): their figures are exported for tests. */
export const ECHO_DELAY_MS = 180;
export const ECHO_LOSS_DB = 12;
export const IVR_DIGITS = '4711#';
const talker = (f0: number, seed: number, talking: (frame: number) => boolean) => speechSource({ f0, seed, peak: 12000, talking, floor: 20 });
const FAULT_SCENARIOS: readonly Scenario[] = [
  {
    // The callee's leg carries nothing audible: a faint line, never speech.
    name: 'one-way',
    bridged: true,
    legs: (s) => [
      { name: `PJSIP/frank-${s}`, source: talker(180, 5, () => true), caller: { name: 'Frank (one-way)', number: '1021' }, connected: { name: 'Grace', number: '1022' }, dialplan: dial('1022', 'Dial', 'PJSIP/grace,30') },
      { name: `PJSIP/grace-${s}`, source: speechSource({ f0: 220, seed: 6, peak: 12000, talking: () => false, floor: 8 }), caller: { name: 'Grace (muted)', number: '1022' }, connected: { name: 'Frank', number: '1021' }, dialplan: dial('s', 'AppDial', '(Outgoing Line)') },
    ],
  },
  {
    // Henry talks in turns with Ivy; Ivy's line returns Henry's voice ECHO_DELAY_MS later, ECHO_LOSS_DB weaker.
    name: 'echo',
    bridged: true,
    legs: (s) => {
      const henry = talker(140, 7, aliceTalking);
      return [
        { name: `PJSIP/henry-${s}`, source: henry, caller: { name: 'Henry', number: '1023' }, connected: { name: 'Ivy (echo)', number: '1024' }, dialplan: dial('1024', 'Dial', 'PJSIP/ivy,30') },
        { name: `PJSIP/ivy-${s}`, source: echoSource(talker(230, 8, bobTalking), henry, ECHO_DELAY_MS, ECHO_LOSS_DB), caller: { name: 'Ivy (echo)', number: '1024' }, connected: { name: 'Henry', number: '1023' }, dialplan: dial('s', 'AppDial', '(Outgoing Line)') },
      ];
    },
  },
  {
    // Judy and Ken talk in turns; Judy's leg loses bursts of audio (DROPOUT_BURSTS, concealed with zeros) while she talks.
    name: 'dropouts',
    bridged: true,
    legs: (s) => [
      { name: `PJSIP/judy-${s}`, source: dropoutSource(talker(200, 9, aliceTalking)), caller: { name: 'Judy (dropouts)', number: '1025' }, connected: { name: 'Ken', number: '1026' }, dialplan: dial('1026', 'Dial', 'PJSIP/ken,30') },
      { name: `PJSIP/ken-${s}`, source: talker(120, 10, bobTalking), caller: { name: 'Ken', number: '1026' }, connected: { name: 'Judy (dropouts)', number: '1025' }, dialplan: dial('s', 'AppDial', '(Outgoing Line)') },
    ],
  },
  {
    name: 'ivr-dtmf',
    bridged: false,
    legs: (s) => [
      { name: `PJSIP/olivia-${s}`, source: inbandDtmfSource(IVR_DIGITS), caller: { name: 'Olivia (in-band DTMF)', number: '1031' }, connected: { name: 'IVR', number: '701' }, dialplan: dial('701', 'Background', 'demo-menu') },
    ],
  },
];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'conversation',
    bridged: true,
    legs: (s) => [
      {
        name: `PJSIP/alice-${s}`,
        source: speechSource({ f0: 210, seed: 1, peak: 12000, talking: aliceTalking, floor: 20 }),
        caller: { name: 'Alice', number: '1001' },
        connected: { name: 'Bob', number: '1002' },
        dialplan: dial('1002', 'Dial', 'PJSIP/bob,30'),
      },
      {
        name: `PJSIP/bob-${s}`,
        source: speechSource({ f0: 115, seed: 2, peak: 12000, talking: bobTalking, floor: 20 }),
        caller: { name: 'Bob', number: '1002' },
        connected: { name: 'Alice', number: '1001' },
        dialplan: dial('s', 'AppDial', '(Outgoing Line)'),
      },
    ],
  },
  {
    name: 'milliwatt',
    bridged: false,
    legs: (s) => [
      { name: `Local/milliwatt@demo-${s};1`, source: toneSource(MILLIWATT_HZ, MILLIWATT_PEAK), dialplan: dial('milliwatt', 'Milliwatt', '') },
      { name: `Local/milliwatt@demo-${s};2`, source: silentSource, dialplan: dial('milliwatt', 'Wait', '3600', 2) },
    ],
  },
  {
    name: 'dtmf',
    bridged: false,
    legs: (s) => [
      {
        name: `PJSIP/carol-${s}`,
        source: dtmfWithDropoutSource('1234#'),
        dtmfEnd: dtmfEndAt('1234#'),
        caller: { name: 'Carol (IVR)', number: '1003' },
        connected: { name: 'IVR', number: '700' },
        dialplan: dial('700', 'Read', 'digits,,5'),
      },
    ],
  },
  {
    name: 'clipping',
    bridged: false,
    legs: (s) => [
      {
        name: `PJSIP/dave-${s}`,
        source: clippingSource(3),
        caller: { name: 'Dave (hot mic)', number: '1004' },
        connected: { name: 'Conference', number: '800' },
        dialplan: dial('800', 'ConfBridge', 'demo'),
      },
    ],
  },
  ...FAULT_SCENARIOS,
];

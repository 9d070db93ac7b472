import type { ChannelSpec } from './sim-model.ts';
import {
  MILLIWATT_HZ,
  MILLIWATT_PEAK,
  clippingSource,
  dtmfEndAt,
  dtmfWithDropoutSource,
  silentSource,
  speechSource,
  toneSource,
} from './signal-generators.ts';
import { withLostFrames } from './sim-network.ts';

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

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'conversation',
    bridged: true,
    legs: (s) => [
      {
        name: `PJSIP/alice-${s}`,
        source: speechSource({ f0: 210, seed: 1, peak: 12000, talking: aliceTalking }),
        caller: { name: 'Alice', number: '1001' },
        connected: { name: 'Bob', number: '1002' },
        dialplan: dial('1002', 'Dial', 'PJSIP/bob,30'),
      },
      {
        name: `PJSIP/bob-${s}`,
        source: speechSource({ f0: 115, seed: 2, peak: 12000, talking: bobTalking }),
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
  {
    // Bursts of RTP loss and jitter (LOSSY_BURSTS): rtp_statistics counts the lost packets and
    // the audio has a 20 ms frame of exact zeros for each one.
    name: 'lossy',
    bridged: false,
    legs: (s) => [
      {
        name: `PJSIP/erin-${s}`,
        source: withLostFrames(speechSource({ f0: 180, seed: 5, peak: 11000, talking: () => true })),
        caller: { name: 'Erin (lossy Wi-Fi)', number: '1005' },
        connected: { name: 'Support', number: '900' },
        dialplan: dial('900', 'Queue', 'support'),
      },
    ],
  },
];

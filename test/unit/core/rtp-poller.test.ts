import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CodedError } from '../../../main/core/common/coded-error.ts';
import { parseRtpStatistics, type RtpStatistics } from '../../../main/core/ari/rtp-statistics.ts';
import { RtpPoller, type PollerClock, type RtpSample } from '../../../main/core/network/rtp-poller.ts';
import { DEFAULT_NETWORK_THRESHOLDS, figuresBetween, parseNetworkThresholds } from '../../../main/core/network/network-figures.ts';
import { NetworkLegMonitor } from '../../../main/core/network/network-leg-monitor.ts';
import { TapNetwork } from '../../../main/core/network/tap-network.ts';
import type { FindingView, NetworkView } from '../../../preload/contract.ts';

const CAPTURE = JSON.parse(readFileSync(new URL('../../fixtures/conformance/ari_rtp_statistics_pjsip.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Timers that run only when the test moves time on. */
class FakeClock implements PollerClock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time on, running due timers and letting the answers they asked for arrive. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    await settle();
  }
}
const settle = () => new Promise<void>((r) => setImmediate(r));

function stats(o: Partial<RtpStatistics> = {}): RtpStatistics {
  return { ...parseRtpStatistics(CAPTURE), ...o };
}

/** A fake ARI: answers from a function of the channel and the number of the request. */
function fakeSource(answer: (id: string, n: number) => RtpStatistics | Error) {
  const calls: string[] = [];
  return {
    calls,
    rtpStatistics: async (id: string): Promise<RtpStatistics> => {
      calls.push(id);
      const a = answer(id, calls.filter((c) => c === id).length);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

test('the captured rtp_statistics of a real PJSIP call validates; malformed answers do not', () => {
  const s = parseRtpStatistics(CAPTURE);
  assert.equal(s.txcount, 1135);
  assert.equal(s.rxjitter, 0);
  assert.equal(s.rtt, 0.000137);
  assert.equal(s.txmes, 88);
  assert.equal(s.channelUniqueid, 'lab2-1796189378.5');
  const bad = (v: unknown) => assert.throws(() => parseRtpStatistics(v), (e: unknown) => (e as CodedError).code === 'ari-bad-response');
  bad(null);
  bad([]);
  bad({ ...CAPTURE, rxcount: '1135' });
  bad({ ...CAPTURE, rtt: -1 });
  const { rxjitter: _, ...noJitter } = CAPTURE;
  bad(noJitter);
  const { txmes: _m, rxmes: _r, ...old } = CAPTURE;
  assert.equal(parseRtpStatistics(old).rxmes, null, 'MES is optional (older Asterisk)');
});

test('figures: loss over the interval in the leg direction, jitter and RTT in ms, counters reset', () => {
  const a = stats({ rxcount: 1000, rxploss: 0, txcount: 1000, txploss: 0, rxjitter: 0.012, txjitter: 0.004, rtt: 0.0801 });
  const b = stats({ rxcount: 1095, rxploss: 5, txcount: 1100, txploss: 3, rxjitter: 0.045, txjitter: 0.005, rtt: 0.0801 });
  assert.deepEqual(figuresBetween(a, b, 'in'), { lossPct: 5, jitterMs: 45, rttMs: 80.1, mes: 88 });
  assert.deepEqual(figuresBetween(a, b, 'out'), { lossPct: 3, jitterMs: 5, rttMs: 80.1, mes: 88 });
  // The first poll counts from the call's start; a reset (re-INVITE) counts from zero again.
  assert.equal(figuresBetween(undefined, b, 'in').lossPct, 0.5);
  assert.equal(figuresBetween(b, stats({ rxcount: 90, rxploss: 10 }), 'in').lossPct, 10);
  assert.equal(figuresBetween(b, b, 'in').lossPct, 0, 'no packets: no loss');
  assert.deepEqual(parseNetworkThresholds({ lossPct: 5, jitterMs: -1, rttMs: 'x' }), { ...DEFAULT_NETWORK_THRESHOLDS, lossPct: 5 });
});

test('the poller asks every 2 s, once per channel however many watch it, and stops when nobody does', async () => {
  const clock = new FakeClock();
  const src = fakeSource(() => stats());
  const poller = new RtpPoller({ source: src, clock });
  const a: RtpSample[] = [];
  const b: RtpSample[] = [];
  const wa = poller.watch('1.1', (s) => a.push(s));
  const wb = poller.watch('1.1', (s) => b.push(s));
  await clock.advance(0);
  assert.equal(src.calls.length, 1, 'first poll at once');
  await clock.advance(1999);
  assert.equal(src.calls.length, 1);
  await clock.advance(1);
  assert.equal(src.calls.length, 2);
  await clock.advance(6000);
  assert.equal(src.calls.length, 5);
  assert.equal(a.length, 5);
  assert.equal(b.length, 5);
  wa.dispose();
  await clock.advance(2000);
  assert.equal(src.calls.length, 6, 'one watcher left: still polled');
  wb.dispose();
  assert.equal(clock.pending, 0, 'no timer left');
  await clock.advance(10_000);
  assert.equal(src.calls.length, 6);
  assert.deepEqual(poller.polling, []);
});

test('403 (no RTP on Local/WebSocket) and 404 (hung up) stop polling quietly; other errors are reported and polling goes on', async () => {
  const clock = new FakeClock();
  const src = fakeSource((id, n) =>
    id === 'local' ? new CodedError('ari-http-403', 'ARI answered HTTP 403: Unsupported channel type.') : id === 'gone' ? new CodedError('ari-not-found', 'gone') : n === 2 ? new CodedError('ari-timeout', 'slow') : stats(),
  );
  const poller = new RtpPoller({ source: src, clock });
  const seen = new Map<string, string[]>();
  for (const id of ['local', 'gone', 'pjsip']) poller.watch(id, (s) => seen.set(id, [...(seen.get(id) ?? []), s.status]));
  await clock.advance(10_000);
  assert.deepEqual(seen.get('local'), ['no-rtp']);
  assert.deepEqual(seen.get('gone'), ['gone']);
  assert.deepEqual(seen.get('pjsip'), ['ok', 'error', 'ok', 'ok', 'ok', 'ok']);
  assert.deepEqual(src.calls.filter((c) => c === 'local'), ['local']);
  // A later watcher of the 403 channel learns it at once, without a new request.
  const late: string[] = [];
  poller.watch('local', (s) => late.push(s.status));
  assert.deepEqual(late, ['no-rtp']);
  assert.equal(src.calls.filter((c) => c === 'local').length, 1);
  poller.dispose();
  assert.equal(clock.pending, 0);
});

test('an answer that arrives after the last watcher left is dropped, and no new poll is scheduled', async () => {
  const clock = new FakeClock();
  let release: (s: RtpStatistics) => void = () => undefined;
  const poller = new RtpPoller({ source: { rtpStatistics: () => new Promise((r) => (release = r)) }, clock });
  const got: RtpSample[] = [];
  const w = poller.watch('1.1', (s) => got.push(s));
  w.dispose();
  release(stats());
  await settle();
  assert.equal(got.length, 0);
  assert.equal(clock.pending, 0);
});

test('a figure above its threshold opens a network finding that grows, escalates and ends when back under', () => {
  let n = 0;
  const m = new NetworkLegMonitor({ tapId: 't', leg: 1, channel: 'PJSIP/eve-1', direction: 'in', thresholds: DEFAULT_NETWORK_THRESHOLDS, newId: () => `f${n++}` });
  const at = (t: number, o: Partial<RtpStatistics>) => m.onSample({ status: 'ok', atMs: t, stats: stats({ rtt: 0.02, rxjitter: 0.005, ...o }) });
  const clean = at(0, { rxcount: 100, rxploss: 0 });
  assert.equal(clean.findings.length, 0);
  assert.equal(clean.view.status, 'ok');
  const f1 = at(2000, { rxcount: 197, rxploss: 3 }).findings; // 3 %: warning
  assert.equal(f1.length, 1);
  assert.deepEqual([f1[0]!.kind, f1[0]!.severity, f1[0]!.endedAt, f1[0]!.key, f1[0]!.figures?.['lossPct'], f1[0]!.startedAt], ['network', 'warning', null, 'network:loss:1', 3, 0], 'loss starts with the interval it was counted over');
  assert.match(f1[0]!.message, /Packet loss from the channel 3 % \(threshold 2 %\)/);
  const f2 = at(4000, { rxcount: 287, rxploss: 13, rxjitter: 0.045 }).findings; // 10 % loss: error; jitter 45 ms: warning
  assert.deepEqual(f2.map((f) => [f.id, f.figures?.['metric'], f.severity, f.startedAt]), [['f0', 'loss', 'error', 0], ['f1', 'jitter', 'warning', 4000]]);
  const f3 = at(6000, { rxcount: 387, rxploss: 13 }).findings;
  assert.deepEqual(f3.map((f) => [f.id, f.endedAt, f.severity]), [['f0', 6000, 'error'], ['f1', 6000, 'warning']]);
  assert.equal(at(8000, { rxcount: 487, rxploss: 13 }).findings.length, 0);
  // A 403 or 404 ends what is open; a failed poll does not.
  at(10_000, { rtt: 0.4 });
  assert.equal(m.onSample({ status: 'error', atMs: 12_000, message: 'slow' }).findings.length, 0);
  const gone = m.onSample({ status: 'gone', atMs: 14_000, message: 'gone' });
  assert.deepEqual(gone.findings.map((f) => [f.figures?.['metric'], f.endedAt]), [['rtt', 14_000]]);
  assert.equal(gone.view.status, 'gone');
});

test('a tap with two legs on one channel (in + out) polls it once and sends figures per leg', async () => {
  const clock = new FakeClock();
  const src = fakeSource((_, k) => stats({ rxcount: 100 * k, rxploss: 0, txcount: 100 * k, txploss: k > 1 ? 10 * (k - 1) : 0 }));
  const poller = new RtpPoller({ source: src, clock });
  const views: NetworkView[] = [];
  const findings: FindingView[] = [];
  const net = new TapNetwork({
    tapId: 't',
    legs: [{ channel: 'PJSIP/bob-1', direction: 'in' }, { channel: 'PJSIP/bob-1', direction: 'out' }],
    poller,
    resolve: async (chs) => chs.map(() => '9.9'),
    thresholds: DEFAULT_NETWORK_THRESHOLDS,
    newId: () => 'id',
    now: clock.now,
    onView: (v) => views.push(v),
    onFinding: (f) => findings.push(f),
  });
  await net.start();
  await clock.advance(2000);
  assert.deepEqual(src.calls, ['9.9', '9.9']);
  assert.deepEqual(views.map((v) => [v.leg, v.status, v.figures?.lossPct ?? null]), [[0, 'waiting', null], [1, 'waiting', null], [0, 'ok', 0], [1, 'ok', 0], [0, 'ok', 0], [1, 'ok', 10]]);
  assert.deepEqual(findings.map((f) => [f.leg, f.kind, f.endedAt]), [[1, 'network', null]]);
  net.dispose();
  assert.deepEqual(findings.map((f) => [f.leg, f.endedAt]), [[1, null], [1, 2000]], 'ending the tap ends its findings');
  assert.equal(clock.pending, 0);
});

import { runProbe, type ProbeReport } from '../core/tap/tap-probe.ts';
import { createTransport } from '../core/tap/create-transport.ts';
import { EXIT, TAP_FLAGS, checkUrlFlag, exitCodeFor, numberOption, parse, say, transportRequest, writeResult } from './cli-common.ts';
import { processGuard } from './drain-guard.ts';
import { closeSafely } from './safe-close.ts';
import { watchFindings } from './cli-findings.ts';
import { describeHandOff, handOffDraining } from './drain-handoff.ts';
import { missingOnAri } from './record-plan.ts';

export const PROBE_HELP = `asterisk-tap probe --url ws://HOST:8088/ws --channel ID [--seconds 3] [--json]
  Connects, listens briefly and reports: handshake, selected sub-protocol, time to first frame,
  frame sizes, inter-arrival statistics and a verdict. Takes the same connection flags as record,
  --transport and --ari included. The result is written (stdout closed) as soon as it is known;
  a stream-channel socket still open is then handed to a background process that drains it until
  Asterisk ends the call, and probe exits. --stay drains in this process instead.`;

function formatReport(r: ProbeReport): string {
  const lines = [
    `Verdict:        ${r.verdict} - ${r.summary}`,
    `URL / channel:  ${r.url}  ${r.channel}`,
    `Handshake:      ${r.handshakeMs === null ? 'not completed' : `${r.handshakeMs} ms, sub-protocol ${r.protocol ?? '(none)'}`}`,
    `First frame:    ${r.firstFrameMs === null ? 'none' : `${r.firstFrameMs} ms after open`}`,
    `Frames:         ${r.frames} (${r.bytes} bytes), sizes ${JSON.stringify(r.sizes)}, gaps > 40 ms: ${r.gaps}`,
  ];
  const ia = r.interarrivalMs;
  if (ia) lines.push(`Inter-arrival:  median ${ia.median} ms, mean ${ia.mean}, p90 ${ia.p90}, p99 ${ia.p99}, min ${ia.min}, max ${ia.max} (n=${ia.n})`);
  if (r.tlsNote) lines.push(`TLS:            ${r.tlsNote}`);
  return `${lines.join('\n')}\n`;
}

/** `probe`: a short diagnostic connection that, like record, never closes first while the call is up. */
export async function probeCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...TAP_FLAGS, seconds: { type: 'string' }, json: { type: 'boolean' }, stay: { type: 'boolean' } });
  checkUrlFlag(values.url, '--url', ['ws', 'wss', 'http', 'https']);
  checkUrlFlag(values.ari, '--ari', ['http', 'https']);
  const seconds = numberOption(values.seconds, '--seconds', 0.1, 600) ?? 3;
  let endWindow!: () => void;
  const windowEnded = new Promise<void>((r) => (endWindow = r));
  const request = transportRequest(values);
  const transport = await createTransport(request);
  // With ARI, an unknown channel is answered without a socket (which would put an ERROR in the PBX's log).
  if (transport.kind === 'stream-channel' && (await missingOnAri(request.ari, [transport.channel])).length > 0) {
    const summary = `Channel "${transport.channel}" does not exist (ARI lists no such name or uniqueid; names are case-sensitive). No stream-channel connection was opened.`;
    writeResult(values.json ? `${JSON.stringify({ url: transport.url, channel: transport.channel, verdict: 'channel-not-found', summary, reason: 'channel-not-found', checkedBy: 'ari' }, null, 2)}\n` : `Verdict:        channel-not-found - ${summary}\n`);
    return EXIT.noAudio;
  }
  // Ctrl+C (or SIGTERM, SIGHUP) in the listening window ends the window and reports; never closes.
  processGuard.set({ stop: endWindow, force: () => transport.forceClose() });
  const findings = watchFindings([transport], (text) => say(text));
  const { report, client } = await runProbe(transport, seconds * 1000, windowEnded);
  // The detectors' findings in the listening window (one line each on stderr as they came).
  const found = findings.finish();
  // The result is complete now: stdout is closed so a script reading it goes on at once.
  writeResult(values.json ? `${JSON.stringify({ ...report, findings: found }, null, 2)}\n` : `${formatReport(report)}Findings:       ${found.length === 0 ? 'none' : found.map((f) => `${f.kind} (${f.severity})`).join(', ')}\n`);
  if (client.kind === 'stream-channel' && client.isSocketOpen) {
    say('Result written (stdout closed).');
    // By default the drain moves to a background process, so this command (and a script's pipeline) returns now.
    const moved = values.stay || values['force-close'] ? undefined : handOffDraining([client]);
    if (moved && moved.stayed.length === 0) say(describeHandOff(moved));
    else await closeSafely(client, values['force-close'] === true);
  } else await closeSafely(client, values['force-close'] === true);
  if (report.verdict === 'silent') return EXIT.noAudio;
  return exitCodeFor(report.reason, report.frames);
}

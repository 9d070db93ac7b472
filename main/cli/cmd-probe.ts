import { runProbe, type ProbeReport } from '../core/tap/tap-probe.ts';
import { createTransport } from '../core/tap/create-transport.ts';
import { EXIT, TAP_FLAGS, exitCodeFor, numberOption, onInterrupt, parse, transportRequest } from './cli-common.ts';
import { closeSafely } from './safe-close.ts';

export const PROBE_HELP = `asterisk-tap probe --url ws://HOST:8088/ws --channel ID [--seconds 3] [--json]
  Connects, listens briefly and reports: handshake, selected sub-protocol, time to first frame,
  frame sizes, inter-arrival statistics and a verdict. Takes the same connection flags as record,
  --transport and --ari included.`;

function printReport(r: ProbeReport): void {
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
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `probe`: a short diagnostic connection that, like record, never closes first while the call is up. */
export async function probeCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...TAP_FLAGS, seconds: { type: 'string' }, json: { type: 'boolean' } });
  const seconds = numberOption(values.seconds, '--seconds', 0.1, 600) ?? 3;
  const { report, client } = await runProbe(await createTransport(transportRequest(values)), seconds * 1000);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report);
  const removeInterrupt = onInterrupt(
    () => client.forceClose(),
    () => client.forceClose(),
  );
  await closeSafely(client, values['force-close'] === true);
  removeInterrupt();
  if (report.verdict === 'silent') return EXIT.noAudio;
  return exitCodeFor(report.reason, report.frames);
}

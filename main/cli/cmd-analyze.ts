import { basename } from 'node:path';
import { isCodedError } from '../core/common/coded-error.ts';
import { analyzeWav, type WavAnalysis } from '../core/diagnostics/analyze-wav.ts';
import { EXIT, UsageError, parse, say } from './cli-common.ts';

/** analyze's own exit code: the file cannot be read, or is not 16 kHz 16-bit PCM. */
const EXIT_BAD_FILE = 5;

export const ANALYZE_HELP = `asterisk-tap analyze FILE.wav [--json]
  Runs the call-health detectors (silence, one-way, clipping, dropout, echo, DTMF, tone) over a
  16 kHz 16-bit PCM WAV, streaming: mono is one leg, stereo a call (leg 0 left, leg 1 right).
  --json prints one JSON object (file, durationS, sampleRate, legs, events). Exit codes: 0 analysed
  (findings or not), 2 usage, 5 unreadable or not 16 kHz 16-bit PCM.`;

function clock(s: number): string {
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(2).padStart(5, '0')}`;
}

function printReport(r: WavAnalysis): void {
  const kind = r.legs.length === 2 ? 'stereo: a call, leg 0 left, leg 1 right' : 'mono: one leg';
  const lines = [`${basename(r.file)}: ${r.durationS.toFixed(1)} s, ${r.sampleRate} Hz, ${kind}`];
  for (const l of r.legs) lines.push(`  leg ${l.leg}: peak ${l.peakDbfs.toFixed(1)} dBFS, RMS ${l.rmsDbfs.toFixed(1)} dBFS, speech in ${Math.round(l.activeRatio * 100)} % of the time`);
  if (r.events.length === 0) lines.push('No findings.');
  else {
    lines.push(`${r.events.length} finding${r.events.length === 1 ? '' : 's'}:`);
    for (const e of r.events) lines.push(`  ${clock(e.startS)}-${clock(e.endS)}  ${e.severity.padEnd(7)}  ${e.kind.padEnd(8)}  ${e.message}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `analyze`: the detectors over a recording, offline. */
export async function analyzeCommand(argv: string[]): Promise<number> {
  const files = argv.filter((a) => !a.startsWith('-'));
  const { values } = parse(
    argv.filter((a) => a.startsWith('-')),
    { json: { type: 'boolean' } },
  );
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'analyze needs a WAV file.' : `analyze takes one WAV file (got ${files.length}).`);
  let report: WavAnalysis;
  try {
    report = await analyzeWav(files[0]!);
  } catch (err) {
    if (isCodedError(err) && err.code.startsWith('wav-')) {
      say(`asterisk-tap: ${err.message}`);
      return EXIT_BAD_FILE;
    }
    throw err;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else printReport(report);
  return EXIT.ok;
}

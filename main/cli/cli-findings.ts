import type { FindingView } from '../../preload/contract.ts';
import { LiveDiagnostics } from '../core/service/live-diagnostics.ts';
import { tapChunk } from '../core/service/tap-stage.ts';
import type { TapTransport } from '../core/tap/tap-transport.ts';

const ICON = { error: '⊗', warning: '⚠', info: 'ⓘ' } as const;

/** A finding as `probe --json` prints it: times in seconds from the first audio. */
export interface CliFinding {
  kind: FindingView['kind'];
  leg: number | null;
  channel: string;
  severity: FindingView['severity'];
  startS: number;
  endS: number | null;
  message: string;
  figures?: FindingView['figures'];
}

/**
 * The call-health detectors on the CLI's transports, as the workbench runs them: each finding is
 * told in one line as it happens (a one-way or silence stretch also when it starts, as it may
 * last the whole run), and kept for a JSON report.
 */
export function watchFindings(transports: TapTransport[], line: (text: string) => void): { finish(): CliFinding[] } {
  const found = new Map<string, CliFinding>();
  const announced = new Set<string>();
  let t0: number | undefined;
  const rel = (ms: number): number => Math.max(0, Math.round((ms - (t0 ?? ms)) / 10) / 100);
  const diag = new LiveDiagnostics({
    tapId: 'cli',
    channels: transports.map((t) => t.channel),
    title: transports.map((t) => t.channel).join(' + '),
    onFinding: (f) => {
      if (f.withdrawn) {
        found.delete(f.id);
        return;
      }
      const entry: CliFinding = { kind: f.kind, leg: f.leg, channel: f.channel, severity: f.severity, startS: rel(f.startedAt), endS: f.endedAt === null ? null : rel(f.endedAt), message: f.message, ...(f.figures ? { figures: f.figures } : {}) };
      found.set(f.id, entry);
      const at = new Date(f.startedAt).toTimeString().slice(0, 8);
      if (f.endedAt !== null) line(`${ICON[f.severity]} ${at} ${f.kind} ${f.channel}: ${f.message}`);
      else if (!announced.has(f.id)) {
        announced.add(f.id);
        line(`${ICON[f.severity]} ${at} ${f.kind} ${f.channel}: ${f.message}`);
      }
    },
  });
  transports.forEach((t, leg) => {
    t.events.on('pcm', (chunk) => {
      t0 ??= chunk.wallClockMs;
      diag.push(leg, tapChunk(leg, chunk).samples, chunk.wallClockMs);
    });
    void t.outcome.then(() => diag.endLeg(leg));
  });
  return {
    finish: () => {
      diag.finish();
      diag.dispose();
      return [...found.values()];
    },
  };
}

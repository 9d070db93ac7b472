/** A timestamp that is safe in file names on every OS: 2026-11-25T10-00-00-000Z. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** A recording's file name: `<stamp>-<channel, made file-safe><suffix>.wav`. */
export function recordingFileName(stamp: string, channel: string, suffix = ''): string {
  return `${stamp}-${channel.replace(/[^A-Za-z0-9@.-]+/g, '_')}${suffix}.wav`;
}

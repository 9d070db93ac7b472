/** A recording's short label: its name without the leading time stamp and ".wav" (show the full name as the tooltip). */
export function shortRecordingName(name: string): string {
  const short = name.replace(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(-\d{3})?Z?[-_ ]?/, '').replace(/\.wav$/i, '');
  return short === '' ? name : short;
}

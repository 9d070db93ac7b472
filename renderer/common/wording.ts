/**
 * The one wording of a leg's direction (as the README defines it), wherever the app shows one.
 * in: the channel's own audio, its party speaking; out: what the rest of the call sends it.
 */
export const DIRECTION_WORDING = {
  in: 'in: what the channel reads (its party speaking)',
  out: 'out: what Asterisk sends to it',
} as const;

/** What a leg that has sent nothing is called, in the tap, the toolbar and the status bar. */
export const NO_AUDIO = 'no audio';

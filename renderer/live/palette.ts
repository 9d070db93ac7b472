import type { LivePalette } from './live-protocol.ts';

/** The live pictures' colours from the theme's custom properties (read only when the theme changes: it costs a style pass). */
export function readPalette(): LivePalette {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    waveBg: v('--wave-bg', '#111417'),
    waveFg: v('--wave-fg', '#4fc3f7'),
    warn: v('--warn', '#cca700'),
    bad: v('--bad', '#f48771'),
    info: v('--focus', '#007fd4'),
    labelFg: v('--fg', '#d4d4d4'),
    labelBg: v('--bg', '#1e1e1e'),
  };
}

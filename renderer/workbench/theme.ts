export type ThemeChoice = 'auto' | 'dark' | 'light' | 'hc';
const KEY = 'asterisk-tap.theme';

/** Applies the theme: the OS's choice (dark/light, forced colours → high contrast) unless the user picked one. */
export function applyTheme(choice: ThemeChoice = (localStorage.getItem(KEY) as ThemeChoice | null) ?? 'auto'): void {
  localStorage.setItem(KEY, choice);
  const resolved =
    choice !== 'auto'
      ? choice
      : matchMedia('(forced-colors: active)').matches || matchMedia('(prefers-contrast: more)').matches
        ? 'hc'
        : matchMedia('(prefers-color-scheme: light)').matches
          ? 'light'
          : 'dark';
  document.documentElement.dataset['theme'] = resolved;
  document.documentElement.dataset['themeChoice'] = choice;
}

/** Follows the OS while the choice is "auto". */
export function watchOsTheme(): void {
  for (const q of ['(prefers-color-scheme: light)', '(forced-colors: active)', '(prefers-contrast: more)']) {
    matchMedia(q).addEventListener('change', () => {
      if ((localStorage.getItem(KEY) ?? 'auto') === 'auto') applyTheme('auto');
    });
  }
}

// Keyboard shortcuts of the inbox. Each is Alt plus a key, matched on the physical key
// (KeyboardEvent.code), so they work in any keyboard layout (Russian ЙЦУКЕН included) and on macOS,
// where Alt changes the typed character. The actions are buttons carrying data-shortcut: a shortcut
// clicks the one on screen, so it does exactly what the button does and nothing when it is absent.
import { useEffect } from 'react';

export interface Shortcut {
  /** KeyboardEvent.code with Alt held. */
  code: string;
  /** Shown in the help: what to press. */
  keys: string;
  /** i18n key of what it does. */
  label: string;
  /** data-shortcut of the control it clicks or focuses; absent for those handled in code. */
  target?: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { code: 'KeyJ', keys: 'Alt+J', label: 'shortcuts.next' },
  { code: 'KeyK', keys: 'Alt+K', label: 'shortcuts.previous' },
  { code: 'KeyA', keys: 'Alt+A', label: 'shortcuts.take', target: 'take' },
  { code: 'KeyE', keys: 'Alt+E', label: 'shortcuts.resolve', target: 'resolve-or-reopen' },
  { code: 'KeyT', keys: 'Alt+T', label: 'shortcuts.transfer', target: 'transfer' },
  { code: 'KeyG', keys: 'Alt+G', label: 'shortcuts.tag', target: 'tag-input' },
  { code: 'KeyN', keys: 'Alt+N', label: 'shortcuts.note', target: 'note-mode' },
  { code: 'KeyR', keys: 'Alt+R', label: 'shortcuts.reply', target: 'composer' },
  { code: 'KeyS', keys: 'Alt+S', label: 'shortcuts.search', target: 'search' },
  { code: 'Slash', keys: 'Alt+/', label: 'shortcuts.help' },
];

/** Also in the help, handled by the composer itself. */
export const COMPOSER_KEYS = [
  { keys: 'Enter', label: 'shortcuts.send' },
  { keys: 'Shift+Enter', label: 'shortcuts.newLine' },
  { keys: '/', label: 'shortcuts.canned' },
  { keys: 'Esc', label: 'shortcuts.close' },
] as const;

/** The row after (or before) the selected one in the list on screen. */
function moveInList(step: 1 | -1): void {
  const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="conversation-row"]')];
  const current = rows.findIndex((row) => row.getAttribute('aria-current') === 'true');
  const next = rows[current === -1 ? 0 : current + step];
  next?.click();
  next?.focus();
}

function activate(target: string): void {
  const element = document.querySelector<HTMLElement>(`[data-shortcut="${target}"]`);
  if (!element || (element instanceof HTMLButtonElement && element.disabled)) return;
  // Text fields take the focus; buttons, radios and checkboxes are pressed.
  const typesIn =
    element instanceof HTMLTextAreaElement ||
    (element instanceof HTMLInputElement && !['radio', 'checkbox'].includes(element.type));
  if (typesIn) element.focus();
  else element.click();
}

export function useInboxShortcuts({ onHelp }: { onHelp(): void }): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const shortcut = SHORTCUTS.find((s) => s.code === event.code);
      if (!shortcut) return;
      event.preventDefault();
      if (shortcut.code === 'KeyJ') moveInList(1);
      else if (shortcut.code === 'KeyK') moveInList(-1);
      else if (shortcut.code === 'Slash') onHelp();
      else if (shortcut.target) activate(shortcut.target);
    };
    addEventListener('keydown', onKeyDown);
    return () => removeEventListener('keydown', onKeyDown);
  }, [onHelp]);
}

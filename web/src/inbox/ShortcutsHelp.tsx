// The list of keyboard shortcuts, opened with Alt+/ (or the "?" button): a modal dialog.
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components/Dialog.js';
import { COMPOSER_KEYS, SHORTCUTS } from './shortcuts.js';

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose}>
      <table className="shortcuts" data-testid="shortcuts-help">
        <tbody>
          {[...SHORTCUTS, ...COMPOSER_KEYS].map((shortcut) => (
            <tr key={shortcut.keys}>
              <td>
                <kbd>{shortcut.keys}</kbd>
              </td>
              <td>{t(shortcut.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

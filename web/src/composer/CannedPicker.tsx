// Canned responses as the operator types "/shortcut" (or opens the templates button): the
// matching responses, shortcut matches first, chosen with the arrows and Enter or Tab, or a click.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedResponse } from '@frontline/protocol';
import { fetchCannedResponses } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { useDebouncedValue } from '../components/hooks.js';

const QUERY_DELAY_MS = 120;

interface Props {
  query: string;
  /** Arrow keys and Enter typed in the composer, handed over while the picker is open. */
  keyEvent: { key: string; at: number } | null;
  onPick(response: CannedResponse): void;
  onClose(): void;
}

export function CannedPicker({ query, keyEvent, onPick, onClose }: Props) {
  const { t } = useTranslation();
  const q = useDebouncedValue(query, QUERY_DELAY_MS);
  const found = useQuery({ queryKey: keys.cannedResponses(q), queryFn: () => fetchCannedResponses(q) });
  const items = found.data ?? [];
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [q]);
  // Runs for each new key press only (keyEvent carries its time); items and active are read then.
  useEffect(() => {
    if (!keyEvent) return;
    if (keyEvent.key === 'ArrowDown') setActive((i) => Math.min(i + 1, items.length - 1));
    if (keyEvent.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    if (keyEvent.key === 'Escape') onClose();
    if (keyEvent.key === 'Enter' || keyEvent.key === 'Tab') {
      const chosen = items[active];
      if (chosen) onPick(chosen);
    }
  }, [keyEvent]);
  return (
    <div className="popover canned" data-testid="canned-picker">
      <p className="popover-title">{t('canned.title')}</p>
      {found.isSuccess && items.length === 0 && <p className="muted">{t('canned.none')}</p>}
      <ul role="listbox" id="canned-options" aria-label={t('canned.title')}>
        {items.map((response, index) => (
          <li
            key={response.id}
            id={`canned-${response.id}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'on' : ''}
            onMouseDown={(event) => {
              // Keeps the focus in the composer.
              event.preventDefault();
              onPick(response);
            }}
            onMouseEnter={() => setActive(index)}
          >
            <span className="canned-head">
              <strong>/{response.shortcut}</strong> {response.title}
              <span className="badge">{response.locale}</span>
            </span>
            <span className="canned-text">{response.text}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

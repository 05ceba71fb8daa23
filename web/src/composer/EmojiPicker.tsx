// A small emoji picker (composer/emoji.ts says why not a library): a grid, searchable in Russian
// or English, that inserts at the caret and closes on Escape or a click elsewhere.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findEmoji } from './emoji.js';

interface Props {
  onPick(char: string): void;
  onClose(): void;
}

export function EmojiPicker({ onPick, onClose }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const outside = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [onClose]);
  const found = findEmoji(query);
  return (
    <div
      ref={ref}
      className="popover emoji-picker"
      role="dialog"
      aria-label={t('composer.emoji')}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <input
        type="search"
        autoFocus
        aria-label={t('composer.emojiSearch')}
        placeholder={t('composer.emojiSearch')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="emoji-grid">
        {found.map((emoji) => (
          <button
            key={emoji.char}
            type="button"
            className="emoji"
            title={emoji.words}
            aria-label={emoji.words.split(' ')[0]}
            onClick={() => onPick(emoji.char)}
          >
            {emoji.char}
          </button>
        ))}
        {found.length === 0 && <p className="muted">{t('composer.noEmoji')}</p>}
      </div>
    </div>
  );
}

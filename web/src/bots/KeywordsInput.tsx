// Comma-separated keywords, read when the field loses focus: parsing on every key would eat the
// comma and space just typed before the next word.
import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'defaultValue' | 'onChange' | 'onBlur'> & {
  keywords: readonly string[];
  onChange: (keywords: string[]) => void;
};

/** Words shorter than two letters are dropped, as the server would refuse them. */
export function KeywordsInput({ keywords, onChange, ...input }: Props) {
  return (
    <input
      {...input}
      defaultValue={keywords.join(', ')}
      onBlur={(e) =>
        onChange(
          e.target.value
            .split(',')
            .map((w) => w.trim())
            .filter((w) => w.length >= 2),
        )
      }
    />
  );
}

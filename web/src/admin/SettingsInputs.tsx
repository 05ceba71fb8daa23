// Small labelled inputs of the settings pages: a text in both languages, a checkbox, a number.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalisedText } from '@frontline/protocol';

export function LocalisedInput({
  label,
  value,
  onChange,
  multiline = false,
  maxLength,
}: {
  label: string;
  value: LocalisedText;
  onChange: (value: LocalisedText) => void;
  multiline?: boolean;
  maxLength: number;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="ws-localised">
      <legend>{label}</legend>
      {(['ru', 'en'] as const).map((lang) => (
        <div key={lang} className="ws-field">
          <label htmlFor={`${id}-${lang}`}>{t(`languages.${lang}`)}</label>
          {multiline ? (
            <textarea
              id={`${id}-${lang}`}
              rows={2}
              maxLength={maxLength}
              value={value[lang]}
              onChange={(e) => onChange({ ...value, [lang]: e.target.value })}
            />
          ) : (
            <input
              id={`${id}-${lang}`}
              maxLength={maxLength}
              value={value[lang]}
              onChange={(e) => onChange({ ...value, [lang]: e.target.value })}
            />
          )}
        </div>
      ))}
    </fieldset>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="ws-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

export function TextInput({
  label,
  value,
  onChange,
  ...rest
}: {
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  type?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="ws-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...rest} />
    </div>
  );
}

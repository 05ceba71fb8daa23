// A labelled form field with its problem announced to screen readers (aria-invalid, describedby).
import type { FieldKind } from '../forms.js';
import { useI18n } from '../i18n.js';

interface Props {
  id: string;
  kind: FieldKind | 'message';
  label: string;
  required: boolean;
  value: string;
  problem: string | null;
  onInput: (value: string) => void;
}

const INPUT_TYPES: Record<FieldKind, { type: string; autoComplete: string }> = {
  name: { type: 'text', autoComplete: 'name' },
  email: { type: 'email', autoComplete: 'email' },
  phone: { type: 'tel', autoComplete: 'tel' },
  text: { type: 'text', autoComplete: 'off' },
};

export function Field({ id, kind, label, required, value, problem, onInput }: Props) {
  const { t } = useI18n();
  const inputId = `field-${id}`;
  const common = {
    id: inputId,
    name: id,
    value,
    required,
    'aria-invalid': problem !== null,
    'aria-describedby': problem ? `${inputId}-problem` : undefined,
    onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={inputId}>
        {label}
        {required && <span class="required"> ({t('required')})</span>}
      </label>
      {kind === 'message' ? <textarea rows={4} {...common} /> : <input {...INPUT_TYPES[kind]} {...common} />}
      {problem && (
        <p class="problem" id={`${inputId}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
}

// The pre-chat form the admin set up: the visitor introduces themselves before the chat opens.
import { useState } from 'preact/hooks';
import type { PreChatForm as Form } from '@frontline/protocol';
import type { Outcome } from '../chat.js';
import { fieldProblem } from '../forms.js';
import { useI18n } from '../i18n.js';
import { Field } from './Field.js';
import { useFormSubmit } from './form-submit.js';

interface Props {
  form: Form;
  onSubmit: (values: Record<string, string>) => Promise<Outcome>;
}

export function PreChatForm({ form, onSubmit }: Props) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<Record<string, string>>({});
  const fields = form.fields.map((f) => ({
    ...f,
    label: f.label[lang] || f.label.ru || f.label.en || (f.kind === 'text' ? f.id : t(f.kind)),
  }));
  const { problems, failure, busy, submit } = useFormSubmit(
    fields,
    (f) => fieldProblem(f, values[f.id] ?? '', t),
    () => onSubmit(values),
  );

  return (
    <form class="form" onSubmit={(event) => void submit(event)} noValidate data-testid="widget-prechat">
      <h2>{t('preChatTitle')}</h2>
      <p>{t('preChatIntro')}</p>
      {fields.map((field) => (
        <Field
          key={field.id}
          id={field.id}
          kind={field.kind}
          label={field.label}
          required={field.required}
          value={values[field.id] ?? ''}
          problem={problems[field.id] ?? null}
          onInput={(value) => setValues((v) => ({ ...v, [field.id]: value }))}
        />
      ))}
      {failure && (
        <p class="problem" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('startChat')}
      </button>
    </form>
  );
}

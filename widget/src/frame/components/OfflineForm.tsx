// The offline form: no operator is online, so the visitor leaves a request that is answered later,
// in the widget on their next visit or by e-mail when they give one.
import { useMemo, useState } from 'preact/hooks';
import type { Contact, OfflineRequestBody, WidgetConfig } from '@frontline/protocol';
import type { Outcome } from '../chat.js';
import { newClientMsgId } from '../delivery/outbox.js';
import { fieldProblem, type FieldKind } from '../forms.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { Field } from './Field.js';
import { useFormSubmit } from './form-submit.js';

interface Props {
  config: WidgetConfig;
  contact: Contact | null;
  onSubmit: (request: OfflineRequestBody) => Promise<Outcome>;
}

type Key = 'name' | 'email' | 'text';

export function OfflineForm({ config, contact, onSubmit }: Props) {
  const { t, lang } = useI18n();
  // One id for this request however often the visitor presses send: it is stored once.
  const clientMsgId = useMemo(newClientMsgId, []);
  const [values, setValues] = useState<Record<Key, string>>({
    name: contact?.name ?? '',
    email: contact?.email ?? '',
    text: '',
  });
  const { offline } = config;
  const fields: { id: Key; kind: FieldKind | 'message'; label: MessageKey; required: boolean }[] = [
    { id: 'name', kind: 'name', label: 'name', required: false },
    { id: 'email', kind: 'email', label: 'email', required: offline.emailRequired },
    { id: 'text', kind: 'message', label: 'question', required: true },
  ];
  const intro = offline.intro[lang] || (offline.emailReplies ? t('offlineIntroEmail') : t('offlineIntro'));

  const { problems, failure, busy, submit } = useFormSubmit(
    fields,
    (f) =>
      fieldProblem(
        { kind: f.kind === 'message' ? 'text' : f.kind, required: f.required, label: t(f.label) },
        values[f.id],
        t,
      ),
    () =>
      onSubmit({
        clientMsgId,
        text: values.text.trim(),
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        ...(values.email.trim() ? { email: values.email.trim() } : {}),
      }),
  );

  return (
    <form class="form" onSubmit={(event) => void submit(event)} noValidate data-testid="widget-offline-form">
      <h2>{t('offlineTitle')}</h2>
      <p>{intro}</p>
      {fields.map((field) => (
        <Field
          key={field.id}
          id={field.id}
          kind={field.kind}
          label={t(field.label)}
          required={field.required}
          value={values[field.id]}
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
        {busy ? t('sendingRequest') : t('sendRequest')}
      </button>
    </form>
  );
}

// The widget's greeting as supervisors keep it: the current incident ("payments are delayed, we are
// on it"), in Russian and English; saved, every open widget shows it at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetGreeting } from '@frontline/protocol';
import { api } from '../api/http.js';
import { SaveRow } from './FormParts.js';

const greetingKey = ['widget', 'greeting'] as const;

export function IncidentGreeting() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const stored = useQuery({
    queryKey: greetingKey,
    queryFn: () => api<WidgetGreeting>('GET', '/api/widget-settings/greeting'),
  });
  const [draft, setDraft] = useState({ ru: '', en: '' });
  useEffect(() => {
    if (stored.data) setDraft(stored.data.greeting);
  }, [stored.data]);
  const save = useMutation({
    mutationFn: () => api<WidgetGreeting>('PUT', '/api/widget-settings/greeting', { greeting: draft }),
    onSuccess: (saved) => queries.setQueryData(greetingKey, saved),
  });
  return (
    <section aria-labelledby="greeting-title">
      <h3 id="greeting-title">{t('supervision.greeting')}</h3>
      <p className="muted">{t('supervision.greetingHint')}</p>
      <form
        className="stacked-form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        {(['ru', 'en'] as const).map((locale) => (
          <label key={locale} className="stack-field">
            <span>{t(`languages.${locale}`)}</span>
            <textarea
              rows={2}
              maxLength={500}
              value={draft[locale]}
              onChange={(e) => setDraft({ ...draft, [locale]: e.target.value })}
            />
          </label>
        ))}
        <SaveRow error={stored.error ?? save.error} pending={save.isPending} saved={save.isSuccess} />
      </form>
    </section>
  );
}

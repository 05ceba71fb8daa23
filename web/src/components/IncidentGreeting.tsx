// The widget's greeting as supervisors keep it: the current incident ("payments are delayed, we are
// on it"), in Russian and English; saved, every open widget shows it at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalisedText, WidgetGreeting } from '@frontline/protocol';
import { api } from '../api/http.js';
import { ErrorLine, SaveRow } from './FormParts.js';

const greetingKey = ['widget', 'greeting'] as const;

export function IncidentGreeting() {
  const { t } = useTranslation();
  const stored = useQuery({
    queryKey: greetingKey,
    queryFn: () => api<WidgetGreeting>('GET', '/api/widget-settings/greeting'),
  });
  return (
    <section aria-labelledby="greeting-title">
      <h3 id="greeting-title">{t('supervision.greeting')}</h3>
      <p className="muted">{t('supervision.greetingHint')}</p>
      {/* The form waits for the stored text: typing into it earlier would be overwritten. */}
      {stored.data ? (
        <GreetingForm stored={stored.data.greeting} />
      ) : stored.error ? (
        <ErrorLine error={stored.error} />
      ) : (
        <p className="muted">{t('loading')}</p>
      )}
    </section>
  );
}

function GreetingForm({ stored }: { stored: LocalisedText }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [draft, setDraft] = useState(stored);
  const save = useMutation({
    mutationFn: () => api<WidgetGreeting>('PUT', '/api/widget-settings/greeting', { greeting: draft }),
    onSuccess: (saved) => queries.setQueryData(greetingKey, saved),
  });
  return (
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
      <SaveRow error={save.error} pending={save.isPending} saved={save.isSuccess} />
    </form>
  );
}

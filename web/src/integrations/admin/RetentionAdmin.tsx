// How long resolved conversations are kept before their texts and files are redacted.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWhen } from '../../i18n/format.js';
import { fetchRetention, integrationKeys, saveRetention } from '../api.js';
import { SaveRow } from '../../components/FormParts.js';

export function RetentionAdmin() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const retention = useQuery({ queryKey: integrationKeys.retention, queryFn: fetchRetention });
  const [keepForever, setKeepForever] = useState(true);
  const [days, setDays] = useState(365);
  useEffect(() => {
    const current = retention.data?.resolvedConversationDays;
    if (current === undefined) return;
    setKeepForever(current === null);
    if (current !== null) setDays(current);
  }, [retention.data]);
  const save = useMutation({
    mutationFn: () => saveRetention(keepForever ? null : days),
    onSuccess: (saved) => queries.setQueryData(integrationKeys.retention, saved),
  });
  const data = retention.data;
  return (
    <form
      className="admin-card stacked-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <p className="muted">{t('integrations.retention.intro')}</p>
      <label className="check-row">
        <input type="radio" name="retention" checked={keepForever} onChange={() => setKeepForever(true)} />
        {t('integrations.retention.forever')}
      </label>
      <label className="check-row">
        <input type="radio" name="retention" checked={!keepForever} onChange={() => setKeepForever(false)} />
        {t('integrations.retention.redactAfter')}
        <input
          type="number"
          min={1}
          max={3650}
          value={days}
          disabled={keepForever}
          aria-label={t('integrations.retention.days')}
          onChange={(e) => setDays(Number(e.target.value))}
          className="days-input"
        />
        {t('integrations.retention.days')}
      </label>
      {data?.lastRunAt && (
        <p className="muted">
          {t('integrations.retention.lastRun', {
            time: formatWhen(data.lastRunAt, i18n.language),
            count: data.lastRunRedacted,
          })}
        </p>
      )}
      <SaveRow error={retention.error ?? save.error} pending={save.isPending} saved={save.isSuccess} />
    </form>
  );
}

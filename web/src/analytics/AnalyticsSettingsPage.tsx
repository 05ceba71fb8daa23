// Report settings (admins): the time zone reports count days in, the SLA targets, and the
// live-monitoring thresholds that raise alerts to supervisors.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertRule, AnalyticsSettings, SlaTargets } from '@frontline/protocol';
import { fetchDepartments } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import { analyticsKeys, fetchAnalyticsSettings, saveAnalyticsSettings } from './api.js';
import { LIVE_METRIC_CHOICES } from './constants.js';
import './analytics.css';
import { SaveRow } from '../components/FormParts.js';

const TARGETS = [
  'firstReplySeconds',
  'onlineHoursPerDay',
  'missedPercentBelow',
  'goodRatingsPercentAbove',
  'proactivePercentAbove',
] as const satisfies readonly (keyof SlaTargets)[];

const newRuleId = () => `rule-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export function AnalyticsSettingsPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: analyticsKeys.settings, queryFn: fetchAnalyticsSettings });
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  const [draft, setDraft] = useState<AnalyticsSettings | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (next: AnalyticsSettings) => saveAnalyticsSettings(next),
    onSuccess: (saved) => {
      queries.setQueryData(analyticsKeys.settings, saved);
      void queries.invalidateQueries({ queryKey: analyticsKeys.live });
    },
  });
  if (!draft)
    return settings.isError ? <p className="form-error">{describeError(settings.error, t)}</p> : null;
  const setRule = (index: number, patch: Partial<AlertRule>) =>
    setDraft({
      ...draft,
      alertRules: draft.alertRules.map((r, i) => (i === index ? { ...r, ...patch } : r)),
    });
  return (
    <section aria-labelledby="analytics-settings-title" className="analytics">
      <h1 id="analytics-settings-title">{t('analytics.settings')}</h1>
      <form
        className="admin-card stacked-form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(draft);
        }}
      >
        <label>
          {t('analytics.setup.timezone')}
          <input
            value={draft.timezone}
            maxLength={64}
            onChange={(e) => setDraft({ ...draft, timezone: e.target.value })}
          />
        </label>
        <p className="muted">{t('analytics.setup.timezoneHint')}</p>
        <h2>{t('analytics.setup.sla')}</h2>
        <div className="analytics-targets">
          {TARGETS.map((key) => (
            <label key={key}>
              {t(`analytics.setup.${key}`)}
              <input
                type="number"
                min={0}
                step="any"
                value={draft.sla[key]}
                onChange={(e) => setDraft({ ...draft, sla: { ...draft.sla, [key]: Number(e.target.value) } })}
              />
            </label>
          ))}
        </div>
        <h2>{t('analytics.setup.rules')}</h2>
        <p className="muted">{t('analytics.setup.rulesHint')}</p>
        {draft.alertRules.map((rule, index) => (
          <fieldset key={rule.id} className="analytics-rule">
            <label>
              {t('analytics.setup.metric')}
              <select
                value={rule.metric}
                onChange={(e) => setRule(index, { metric: e.target.value as AlertRule['metric'] })}
              >
                {LIVE_METRIC_CHOICES.map((m) => (
                  <option key={m} value={m}>
                    {t(`analytics.metrics.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('analytics.setup.department')}
              <select
                value={rule.departmentId ?? ''}
                onChange={(e) => setRule(index, { departmentId: e.target.value || null })}
              >
                <option value="">{t('analytics.setup.wholeWorkspace')}</option>
                {(departments.data ?? []).map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('analytics.setup.direction')}
              <select
                value={rule.direction}
                onChange={(e) =>
                  setRule(index, { direction: e.target.value === 'below' ? 'below' : 'above' })
                }
              >
                <option value="above">{t('analytics.setup.above')}</option>
                <option value="below">{t('analytics.setup.below')}</option>
              </select>
            </label>
            <label>
              {t('analytics.setup.threshold')}
              <input
                type="number"
                min={0}
                step="any"
                value={rule.threshold}
                onChange={(e) => setRule(index, { threshold: Number(e.target.value) })}
              />
            </label>
            <button
              type="button"
              onClick={() =>
                setDraft({ ...draft, alertRules: draft.alertRules.filter((_, i) => i !== index) })
              }
            >
              {t('analytics.setup.removeRule')}
            </button>
          </fieldset>
        ))}
        <div>
          <button
            type="button"
            onClick={() =>
              setDraft({
                ...draft,
                alertRules: [
                  ...draft.alertRules,
                  {
                    id: newRuleId(),
                    metric: 'queue_length',
                    departmentId: null,
                    direction: 'above',
                    threshold: 5,
                  },
                ],
              })
            }
          >
            {t('analytics.setup.addRule')}
          </button>
        </div>
        <SaveRow error={save.error} pending={save.isPending} saved={save.isSuccess} />
      </form>
    </section>
  );
}

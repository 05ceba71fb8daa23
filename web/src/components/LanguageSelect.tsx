// The interface language, switched at once and saved to the user (PATCH /api/me) so every device
// follows; if saving fails the switch is undone and the reason shown.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Locale, Session } from '@frontline/protocol';
import { saveLocale } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import { currentLocale, switchLocale } from '../i18n/index.js';

const LOCALES = ['ru', 'en'] as const satisfies readonly Locale[];

export function LanguageSelect() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const change = useMutation({
    mutationFn: saveLocale,
    onMutate: (locale) => {
      const previous = currentLocale();
      switchLocale(locale);
      return { previous };
    },
    onError: (_error, _locale, context) => {
      if (context) switchLocale(context.previous);
    },
    onSuccess: (user) => queries.setQueryData<Session>(keys.session, (s) => (s ? { ...s, user } : s)),
  });
  return (
    <>
      <label className="visually-hidden" htmlFor="locale">
        {t('header.language')}
      </label>
      <select
        id="locale"
        value={currentLocale()}
        onChange={(e) => change.mutate(e.target.value === 'en' ? 'en' : 'ru')}
      >
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {t(`languages.${locale}`)}
          </option>
        ))}
      </select>
      {change.isError && (
        <span className="header-error" role="alert">
          {t('header.languageNotSaved', { error: describeError(change.error, t) })}
        </span>
      )}
    </>
  );
}

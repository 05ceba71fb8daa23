// Logged in or not: the session decides between the login page and the workspace. When the
// session ends (expired, logged out elsewhere), every request answers 401 and the app returns here.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchSession } from '../api/endpoints.js';
import { setCsrfToken, whenSessionEnds } from '../api/http.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';
import { switchLocale } from '../i18n/index.js';
import { LoginPage } from './LoginPage.js';
import { Workspace } from './Workspace.js';

export function App() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const session = useQuery({ queryKey: keys.session, queryFn: fetchSession, staleTime: Infinity });
  const data = session.data;

  useEffect(
    () =>
      whenSessionEnds(() => {
        queries.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.session[0] });
        queries.setQueryData(keys.session, null);
      }),
    [queries],
  );
  useEffect(() => {
    if (!data) return;
    setCsrfToken(data.csrfToken);
    switchLocale(data.user.locale);
  }, [data]);

  if (session.isPending)
    return (
      <p className="splash" role="status">
        {t('loading')}
      </p>
    );
  if (session.isError)
    return (
      <p className="fatal" role="alert">
        {describeError(session.error, t)}
      </p>
    );
  if (!data) return <LoginPage />;
  // Keyed by user: another login in this tab starts from a clean workspace.
  return <Workspace key={data.user.id} session={data} />;
}

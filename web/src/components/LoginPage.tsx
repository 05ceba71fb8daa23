// E-mail and password. Failures say what happened: wrong credentials, too many tries (with the
// wait), or the server's own message.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { logIn } from '../api/endpoints.js';
import { ApiError, setCsrfToken } from '../api/http.js';
import { keys } from '../api/keys.js';
import { describeError } from '../i18n/errors.js';

export function LoginPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => logIn({ email: email.trim(), password }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queries.setQueryData(keys.session, session);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const error = login.error;
  const message =
    error instanceof ApiError && error.code === 'unauthorized'
      ? t('login.wrongCredentials')
      : error && describeError(error, t);

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <p className="login-brand">{t('appName')}</p>
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted login-subtitle">{t('login.subtitle')}</p>
        <label htmlFor="login-email">{t('login.email')}</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          required
          value={email}
          aria-invalid={Boolean(message) || undefined}
          aria-describedby={message ? 'login-error' : undefined}
          onChange={(e) => {
            setEmail(e.target.value);
            login.reset();
          }}
        />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          aria-invalid={Boolean(message) || undefined}
          aria-describedby={message ? 'login-error' : undefined}
          onChange={(e) => {
            setPassword(e.target.value);
            login.reset();
          }}
        />
        {message && (
          <p id="login-error" className="form-error" role="alert">
            {message}
          </p>
        )}
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}

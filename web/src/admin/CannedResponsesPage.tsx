// Canned responses: the shortcut operators type after "/", a title, the text with variables, and
// the language. Admins create, change and delete them; supervisors see them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedResponse, CannedResponseInput, Locale } from '@frontline/protocol';
import {
  createCannedResponse,
  deleteCannedResponse,
  fetchCannedResponses,
  updateCannedResponse,
} from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import type { AdminPageProps } from './pages.js';
import { ErrorLine, FormFooter } from '../components/FormParts.js';

const VARIABLES = ['{{contact.name}}', '{{contact.email}}', '{{operator.name}}', '{{workspace.name}}'];

export function CannedResponsesPage({ session }: AdminPageProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const responses = useQuery({ queryKey: keys.cannedResponses(''), queryFn: () => fetchCannedResponses('') });
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const isAdmin = session.user.role === 'admin';
  const remove = useMutation({
    mutationFn: deleteCannedResponse,
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['canned-responses'] }),
  });
  return (
    <section aria-labelledby="canned-title">
      <div className="section-head">
        <h1 id="canned-title">{t('admin.canned.title')}</h1>
        {isAdmin && (
          <button
            type="button"
            className="primary"
            data-testid="add-canned"
            onClick={() => setEditing('new')}
          >
            {t('admin.canned.add')}
          </button>
        )}
      </div>
      <p className="muted">{t('admin.canned.hint', { variables: VARIABLES.join(', ') })}</p>
      {editing && (
        <CannedForm
          key={editing === 'new' ? 'new' : editing.id}
          response={editing === 'new' ? null : editing}
          defaultLocale={session.user.locale}
          onDone={() => setEditing(null)}
        />
      )}
      <ErrorLine error={responses.error ?? remove.error} />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.canned.shortcut')}</th>
            <th scope="col">{t('admin.canned.titleField')}</th>
            <th scope="col">{t('admin.canned.text')}</th>
            <th scope="col">{t('admin.canned.locale')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('admin.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {responses.data?.map((r) => (
            <tr key={r.id} data-testid="canned-response">
              <td>
                <code>/{r.shortcut}</code>
              </td>
              <td>{r.title}</td>
              <td className="clip">{r.text}</td>
              <td>{t(`languages.${r.locale}`)}</td>
              <td>
                {isAdmin && (
                  <div className="row-actions">
                    <button type="button" onClick={() => setEditing(r)}>
                      {t('admin.edit')}
                    </button>
                    <button type="button" className="danger" onClick={() => remove.mutate(r.id)}>
                      {t('admin.delete')}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface FormProps {
  response: CannedResponse | null;
  defaultLocale: Locale;
  onDone(): void;
}

function CannedForm({ response, defaultLocale, onDone }: FormProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [input, setInput] = useState<CannedResponseInput>(() => ({
    locale: response?.locale ?? defaultLocale,
    shortcut: response?.shortcut ?? '',
    title: response?.title ?? '',
    text: response?.text ?? '',
  }));
  const change = (patch: Partial<CannedResponseInput>) => setInput((current) => ({ ...current, ...patch }));
  const save = useMutation({
    mutationFn: () => (response ? updateCannedResponse(response.id, input) : createCannedResponse(input)),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['canned-responses'] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('admin.canned.form')}>
      <label className="stack-field">
        <span>{t('admin.canned.shortcut')}</span>
        <input
          required
          name="shortcut"
          pattern="[\p{L}\p{N}_\-]+"
          maxLength={40}
          value={input.shortcut}
          onChange={(e) => change({ shortcut: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('admin.canned.titleField')}</span>
        <input
          required
          name="title"
          maxLength={120}
          value={input.title}
          onChange={(e) => change({ title: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('admin.canned.text')}</span>
        <textarea
          required
          name="text"
          rows={4}
          spellCheck
          maxLength={5000}
          value={input.text}
          onChange={(e) => change({ text: e.target.value })}
        />
      </label>
      <label className="stack-field">
        <span>{t('admin.canned.locale')}</span>
        <select
          name="locale"
          value={input.locale}
          onChange={(e) => change({ locale: e.target.value === 'en' ? 'en' : 'ru' })}
        >
          <option value="ru">{t('languages.ru')}</option>
          <option value="en">{t('languages.en')}</option>
        </select>
      </label>
      <FormFooter error={save.error} pending={save.isPending} onCancel={onDone} />
    </form>
  );
}

// The open conversation's tags: shown as chips, removed with their button, added by typing (tags
// already in use are offered). Changes by colleagues arrive over the socket.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addTag, fetchTagUsage, fetchTags, removeTag } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { CloseIcon } from '../components/icons.js';
import { describeError } from '../i18n/errors.js';

export function TagBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const tags = useQuery({
    queryKey: keys.tags(conversationId),
    queryFn: () => fetchTags(conversationId),
    staleTime: Infinity,
  });
  const usage = useQuery({ queryKey: keys.tagUsage, queryFn: fetchTagUsage, staleTime: 60_000 });
  const [draft, setDraft] = useState('');
  const change = useMutation({
    mutationFn: ({ tag, add }: { tag: string; add: boolean }) =>
      add ? addTag(conversationId, tag) : removeTag(conversationId, tag),
    onSuccess: (result) => {
      queries.setQueryData(keys.tags(conversationId), result.tags);
      void queries.invalidateQueries({ queryKey: keys.tagUsage });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const tag = draft.trim();
    if (!tag) return;
    change.mutate({ tag, add: true });
    setDraft('');
  };
  const listId = `tag-suggestions-${conversationId}`;
  return (
    <div className="tag-bar">
      <ul className="tags" aria-label={t('tags.title')}>
        {tags.data?.map((tag) => (
          <li key={tag} className="tag" data-testid="tag">
            #{tag}
            <button
              type="button"
              className="icon-button small"
              aria-label={t('tags.remove', { tag })}
              onClick={() => change.mutate({ tag, add: false })}
            >
              <CloseIcon />
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="tag-form">
        <label htmlFor={`tag-input-${conversationId}`} className="visually-hidden">
          {t('tags.add')}
        </label>
        <input
          id={`tag-input-${conversationId}`}
          data-shortcut="tag-input"
          data-testid="tag-input"
          aria-keyshortcuts="Alt+G"
          list={listId}
          maxLength={50}
          placeholder={t('tags.placeholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value.replace(',', ''))}
        />
        <datalist id={listId}>
          {usage.data?.map((u) => (
            <option key={u.tag} value={u.tag} />
          ))}
        </datalist>
      </form>
      {change.isError && (
        <span className="form-error" role="alert">
          {describeError(change.error, t)}
        </span>
      )}
    </div>
  );
}

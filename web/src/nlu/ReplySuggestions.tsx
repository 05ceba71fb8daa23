// Reply suggestions above the composer: the canned responses and knowledge snippets that best
// answer the visitor's last message. A click puts the text in the compose box and records the use.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ReplySuggestion } from '@frontline/protocol';
import { describeError } from '../i18n/errors.js';
import { fetchSuggestions, markNotTarget, nluKeys, suggestionUsed } from './api.js';
import './nlu.css';

interface Props {
  conversationId: string;
  /** The conversation's newest seq: a new message asks again. */
  lastSeq: number;
  onPick(suggestion: ReplySuggestion): void;
}

export function ReplySuggestions({ conversationId, lastSeq, onPick }: Props) {
  const { t } = useTranslation();
  const suggestions = useQuery({
    queryKey: nluKeys.suggestions(conversationId, lastSeq),
    queryFn: () => fetchSuggestions(conversationId),
    staleTime: Infinity,
  });
  const notTarget = useMutation({ mutationFn: () => markNotTarget(conversationId) });
  const items = suggestions.data?.suggestions ?? [];
  // Nothing to suggest or to judge before the visitor writes.
  if (!suggestions.data?.forMessageId) return null;
  return (
    <div
      className="reply-suggestions"
      role="group"
      aria-label={t('nlu.suggestions.title')}
      data-testid="suggestions"
    >
      {items.length > 0 && <span className="muted">{t('nlu.suggestions.title')}:</span>}
      {items.map((suggestion) => (
        <button
          key={`${suggestion.kind}:${suggestion.id}`}
          type="button"
          className="suggestion"
          data-testid="suggestion"
          data-kind={suggestion.kind}
          title={suggestion.text}
          aria-label={t('nlu.suggestions.use', { title: suggestion.title })}
          onClick={() => {
            onPick(suggestion);
            void suggestionUsed(conversationId, suggestion).catch(() => undefined);
          }}
        >
          <span className="suggestion-kind">{t(`nlu.suggestions.${suggestion.kind}`)}</span>{' '}
          {suggestion.title}
        </button>
      ))}
      <span className="spacer" />
      {notTarget.isSuccess ? (
        <span className="muted" role="status">
          {t('nlu.suggestions.notTargetDone')}
        </span>
      ) : (
        <button
          type="button"
          className="ghost"
          data-testid="not-target"
          title={t('nlu.suggestions.notTargetHint')}
          disabled={notTarget.isPending}
          onClick={() => notTarget.mutate()}
        >
          {t('nlu.suggestions.notTarget')}
        </button>
      )}
      {notTarget.isError && (
        <span className="form-error" role="alert">
          {describeError(notTarget.error, t)}
        </span>
      )}
    </div>
  );
}

// "Draft an answer" in the composer, when an admin has set up a model: the server drafts a reply
// from the knowledge base, the draft goes into the compose box (never sent by itself) and the
// articles it cites are listed under it, linked to the help centre.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/errors.js';
import { fetchDraftStatus, nluKeys, requestAnswerDraft } from './api.js';
import './nlu.css';

interface Props {
  conversationId: string;
  widgetKey: string;
  onDraft(text: string): void;
}

export function AnswerDraftButton({ conversationId, widgetKey, onDraft }: Props) {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: nluKeys.draftStatus, queryFn: fetchDraftStatus, staleTime: 60_000 });
  const draft = useMutation({
    mutationKey: ['answer-draft', conversationId],
    mutationFn: () => requestAnswerDraft(conversationId),
    onSuccess: (result) => onDraft(result.text),
  });
  if (!status.data?.enabled) return null;
  const citations = draft.data?.citations ?? [];
  return (
    <div className="answer-draft" data-testid="answer-draft">
      <button
        type="button"
        className="ghost"
        data-testid="answer-draft-button"
        aria-busy={draft.isPending}
        disabled={draft.isPending}
        onClick={() => draft.mutate()}
      >
        {draft.isPending ? t('nlu.drafts.working') : t('nlu.drafts.button')}
      </button>
      {draft.isError && (
        <span className="form-error" role="alert">
          {t('nlu.drafts.failed', { reason: describeError(draft.error, t) })}
        </span>
      )}
      {draft.isSuccess && (
        <span className="muted" role="status" data-testid="draft-sources">
          {citations.length === 0 ? t('nlu.drafts.noSources') : `${t('nlu.drafts.sources')}: `}
          {citations.map((citation, index) => (
            <span key={citation.n}>
              {index > 0 && ', '}
              <a
                href={`/help/${encodeURIComponent(widgetKey)}/articles/${citation.articleId}`}
                target="_blank"
                rel="noreferrer"
              >
                [{citation.n}] {citation.title}
              </a>
            </span>
          ))}
        </span>
      )}
    </div>
  );
}

// After the conversation is resolved: good or bad, and an optional comment; then a thank-you.
import { useState } from 'preact/hooks';
import type { ConversationRating, Rating } from '@frontline/protocol';
import type { Outcome } from '../chat.js';
import { outcomeText } from '../forms.js';
import { useI18n } from '../i18n.js';
import { ThumbIcon } from './icons.js';

interface Props {
  rated: ConversationRating | null;
  onRate: (rating: Rating, comment: string) => Promise<Outcome>;
}

export function RatingCard({ rated, onRate }: Props) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (rated)
    return (
      <p class="rating done" role="status" data-testid="widget-rating-thanks">
        {t('rateThanks')}
      </p>
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!choice) return;
    setBusy(true);
    const outcome = await onRate(choice, comment.trim());
    setBusy(false);
    setFailure(outcome && outcomeText(outcome, t));
  };

  return (
    <form class="rating" onSubmit={(event) => void submit(event)} data-testid="widget-rating">
      <fieldset>
        <legend>{t('rateTitle')}</legend>
        <div class="choices">
          {(['good', 'bad'] as const).map((rating) => (
            <button
              key={rating}
              type="button"
              aria-pressed={choice === rating}
              onClick={() => setChoice(rating)}
            >
              <ThumbIcon down={rating === 'bad'} />
              {t(rating === 'good' ? 'rateGood' : 'rateBad')}
            </button>
          ))}
        </div>
      </fieldset>
      {choice && (
        <>
          <label for="rating-comment" class="visually-hidden">
            {t('rateComment')}
          </label>
          <textarea
            id="rating-comment"
            rows={2}
            maxLength={1000}
            placeholder={t('rateComment')}
            value={comment}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
          <button type="submit" class="primary" disabled={busy}>
            {t('rateSend')}
          </button>
        </>
      )}
      {failure && (
        <p class="problem" role="alert">
          {failure}
        </p>
      )}
    </form>
  );
}

// The submit of the widget's forms: check every field, focus the first with a problem, otherwise
// send and show the server's words if it refuses.
import { useState } from 'preact/hooks';
import type { Outcome } from '../chat.js';
import { outcomeText } from '../forms.js';
import { useI18n } from '../i18n.js';

export function useFormSubmit<F extends { id: string }>(
  fields: readonly F[],
  problemOf: (field: F) => string | null,
  send: () => Promise<Outcome>,
) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = Object.fromEntries(fields.map((f) => [f.id, problemOf(f)]));
    setProblems(found);
    const first = fields.find((f) => found[f.id]);
    if (first) {
      document.getElementById(`field-${first.id}`)?.focus();
      return;
    }
    setBusy(true);
    const outcome = await send();
    setBusy(false);
    setFailure(outcome && outcomeText(outcome, t));
  };
  return { problems, failure, busy, submit };
}

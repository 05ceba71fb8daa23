// A live preview of the draft: the visitor's side of a chat run by the server's simulator (the
// draft is saved first). Each answer replays the whole run, so the preview is what a visitor gets.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowSimulationRequest, FlowSimulationResult } from '@frontline/protocol';
import { simulateFlow } from './api.js';
import { ErrorLine } from '../components/FormParts.js';

type Input = FlowSimulationRequest['inputs'][number];

interface Props {
  flowId: string;
  beforeRun: () => Promise<unknown>;
  onRestart: () => void;
}

export function PreviewChat({ flowId, beforeRun, onRestart }: Props) {
  const { t, i18n } = useTranslation();
  const [inputs, setInputs] = useState<Input[]>([]);
  const [typed, setTyped] = useState('');
  const run = useMutation({
    mutationFn: async (next: Input[]): Promise<FlowSimulationResult> => {
      await beforeRun();
      return simulateFlow(flowId, {
        inputs: next,
        language: i18n.language === 'ru' ? 'ru' : 'en',
        variables: {},
      });
    },
    onSuccess: (_result, next) => setInputs(next),
  });
  const result = run.data;
  const last = result?.steps.at(-1);
  const send = (input: Input) => run.mutate([...inputs, input]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!typed.trim()) return;
    send({ text: typed });
    setTyped('');
  };
  return (
    <section className="flow-preview" aria-label={t('bots.preview')}>
      <div className="section-head">
        <h2>{t('bots.preview')}</h2>
        <button
          type="button"
          data-testid="preview-start"
          onClick={() => (result ? onRestart() : run.mutate([]))}
        >
          {result ? t('bots.previewRestart') : t('bots.previewStart')}
        </button>
      </div>
      <ErrorLine error={run.error} />
      <ol className="flow-preview-log" data-testid="preview-log">
        {result?.steps.map((step, i) => (
          <li key={i} className="bot">
            {step.text}
            {step.files.length > 0 && (
              <ul className="flow-preview-files" aria-label={t('bots.previewFiles')}>
                {step.files.map((file) => (
                  <li key={file.name}>
                    📎 {file.name} <span className="muted">({file.mime})</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {result && result.status === 'waiting' && last && (
        <div className="flow-preview-buttons">
          {last.buttons
            .filter((b) => b.url === null)
            .map((b) => (
              <button key={b.id} type="button" onClick={() => send({ buttonId: b.id })}>
                {b.label}
              </button>
            ))}
        </div>
      )}
      {result && result.status !== 'waiting' && (
        <p className="muted" role="status">
          {t(`bots.previewEnded.${result.status}`)}
        </p>
      )}
      {result && result.status === 'waiting' && (
        <form onSubmit={submit} className="flow-preview-form">
          <input
            value={typed}
            aria-label={t('bots.previewType')}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit">{t('bots.previewSend')}</button>
        </form>
      )}
    </section>
  );
}

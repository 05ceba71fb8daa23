// A menu node's options: each a button with the tag it sets, and what typed text also chooses it
// (keywords in any word form, or an intent of the workspace's model).
import { useTranslation } from 'react-i18next';
import type { FlowNode, MenuOption } from '@frontline/protocol';
import { newMenuOption, nextId } from './flow-model.js';
import { useIntents } from './intents.js';
import { KeywordsInput } from './KeywordsInput.js';

type MenuNode = Extract<FlowNode, { type: 'menu' }>;

export function MenuOptions({ node, onChange }: { node: MenuNode; onChange: (node: FlowNode) => void }) {
  const { t } = useTranslation();
  const intents = useIntents().data ?? [];
  const patch = (i: number, change: Partial<MenuOption>) =>
    onChange({ ...node, options: node.options.map((o, j) => (j === i ? { ...o, ...change } : o)) });
  return (
    <fieldset className="flow-options">
      <legend>{t('bots.fields.options')}</legend>
      <p className="muted">{t('bots.optionsTypedHint')}</p>
      {node.options.map((option, i) => (
        <div key={option.id} className="flow-option-group" data-testid={`option-${i}`}>
          <div className="flow-option">
            <input
              aria-label={t('bots.fields.optionLabel')}
              data-testid={`option-label-${i}`}
              value={option.label}
              onChange={(e) => patch(i, { label: e.target.value })}
            />
            <input
              aria-label={t('bots.fields.optionTag')}
              placeholder={t('bots.fields.optionTag')}
              value={option.tag ?? ''}
              onChange={(e) => patch(i, { tag: e.target.value || null })}
            />
            <button
              type="button"
              aria-label={t('bots.removeOption')}
              disabled={node.options.length === 1}
              onClick={() => onChange({ ...node, options: node.options.filter((_o, j) => j !== i) })}
            >
              ×
            </button>
          </div>
          <div className="flow-option">
            <KeywordsInput
              aria-label={t('bots.fields.optionKeywords')}
              placeholder={t('bots.fields.optionKeywordsShort')}
              keywords={option.keywords}
              onChange={(keywords) => patch(i, { keywords })}
            />
          </div>
          {(intents.length > 0 || option.intentId) && (
            <div className="flow-option">
              <select
                aria-label={t('bots.fields.optionIntent')}
                value={option.intentId ?? ''}
                onChange={(e) => patch(i, { intentId: e.target.value || null })}
              >
                <option value="">{t('bots.fields.optionNoIntent')}</option>
                {/* An intent deleted since keeps its id here, so the flow's problems can name it. */}
                {option.intentId && !intents.some((intent) => intent.id === option.intentId) && (
                  <option value={option.intentId}>{t('bots.fields.missingIntent')}</option>
                )}
                {intents.map((intent) => (
                  <option key={intent.id} value={intent.id}>
                    {intent.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      ))}
      <button
        type="button"
        data-testid="add-option"
        disabled={node.options.length >= 9}
        onClick={() =>
          onChange({
            ...node,
            options: [
              ...node.options,
              newMenuOption(
                nextId(
                  'option',
                  node.options.map((o) => o.id),
                ),
                t('bots.newOption'),
              ),
            ],
          })
        }
      >
        {t('bots.addOption')}
      </button>
    </fieldset>
  );
}

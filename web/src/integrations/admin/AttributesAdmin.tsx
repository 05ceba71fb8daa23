// Typed contact attributes: operators fill them in the visitor panel, the API checks their type.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTRIBUTE_TYPES, type AttributeType } from '@frontline/protocol';
import { createAttribute, deleteAttribute, fetchAttributes, integrationKeys } from '../api.js';
import { ErrorLine } from '../../components/FormParts.js';

export function AttributesAdmin() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const attributes = useQuery({ queryKey: integrationKeys.attributes, queryFn: fetchAttributes });
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<AttributeType>('text');
  const [options, setOptions] = useState('');
  const refresh = () => void queries.invalidateQueries({ queryKey: integrationKeys.attributes });
  const create = useMutation({
    mutationFn: () =>
      createAttribute({
        key,
        label,
        type,
        options: options
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      }),
    onSuccess: () => {
      setKey('');
      setLabel('');
      setOptions('');
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: deleteAttribute, onSuccess: refresh });
  return (
    <>
      <p className="muted">{t('integrations.attributesAdmin.intro')}</p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('integrations.attributesAdmin.label')}</th>
            <th scope="col">{t('integrations.attributesAdmin.key')}</th>
            <th scope="col">{t('integrations.attributesAdmin.type')}</th>
            <th scope="col">{t('integrations.attributesAdmin.options')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('integrations.webhooks.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attributes.data?.map((a) => (
            <tr key={a.id}>
              <td>{a.label}</td>
              <td>
                <code>{a.key}</code>
              </td>
              <td>{t(`integrations.attributesAdmin.types.${a.type}`)}</td>
              <td>{a.options.join(', ')}</td>
              <td>
                <button type="button" className="link" onClick={() => remove.mutate(a.id)}>
                  {t('integrations.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="admin-card stacked-form"
        aria-labelledby="new-attribute-title"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <h3 id="new-attribute-title">{t('integrations.attributesAdmin.add')}</h3>
        <div className="inline-fields">
          <label className="form-row">
            <span>{t('integrations.attributesAdmin.label')}</span>
            <input required value={label} onChange={(e) => setLabel(e.target.value)} />
          </label>
          <label className="form-row">
            <span>{t('integrations.attributesAdmin.key')}</span>
            <input
              required
              pattern="[a-z][a-z0-9_]{0,63}"
              value={key}
              onChange={(e) => setKey(e.target.value)}
            />
          </label>
          <label className="form-row">
            <span>{t('integrations.attributesAdmin.type')}</span>
            <select value={type} onChange={(e) => setType(e.target.value as AttributeType)}>
              {ATTRIBUTE_TYPES.map((name) => (
                <option key={name} value={name}>
                  {t(`integrations.attributesAdmin.types.${name}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {type === 'select' && (
          <label className="form-row">
            <span>{t('integrations.attributesAdmin.optionsHint')}</span>
            <input required value={options} onChange={(e) => setOptions(e.target.value)} />
          </label>
        )}
        <ErrorLine error={create.error ?? remove.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('integrations.attributesAdmin.create')}
          </button>
        </div>
      </form>
    </>
  );
}

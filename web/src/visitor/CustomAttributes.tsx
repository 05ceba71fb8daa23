// Attributes the site or an integration set on the contact (plan, order count, company...) that the
// admin has not defined: defined ones show, typed and editable, with the integrations.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Contact } from '@frontline/protocol';
import { fetchAttributes, integrationKeys } from '../integrations/api.js';
import { Field } from './Field.js';

export function CustomAttributes({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const definitions = useQuery({
    queryKey: integrationKeys.attributes,
    queryFn: fetchAttributes,
    staleTime: 60_000,
  });
  const defined = new Set((definitions.data ?? []).map((d) => d.key));
  const entries = Object.entries(contact.attributes).filter(
    ([name, value]) => value !== null && !defined.has(name),
  );
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="visitor-attributes">
      <h3 id="visitor-attributes">{t('visitor.attributes')}</h3>
      <dl>
        {entries.map(([name, value]) => (
          <Field key={name} label={name} value={String(value)} />
        ))}
      </dl>
    </section>
  );
}

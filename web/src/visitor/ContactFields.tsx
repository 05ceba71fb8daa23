// The contact's name, e-mail and phone, editable in place; saved to the contact (every channel's
// conversations of this person show the change).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '@frontline/protocol';
import { saveContact } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { Field } from './Field.js';
import { ErrorLine } from '../components/FormParts.js';

const FIELDS = ['name', 'email', 'phone'] as const;
type Editable = (typeof FIELDS)[number];

export function ContactFields({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<Editable, string>>(() => ({
    name: contact.name ?? '',
    email: contact.email ?? '',
    phone: contact.phone ?? '',
  }));
  const save = useMutation({
    mutationFn: () =>
      saveContact(contact.id, {
        name: values.name.trim() || null,
        email: values.email.trim() || null,
        phone: values.phone.trim() || null,
      }),
    onSuccess: (saved) => {
      queries.setQueryData(keys.contact(contact.id), saved);
      // Lists and headers show the contact's name: read them again.
      void queries.invalidateQueries({ queryKey: keys.lists });
      void queries.invalidateQueries({ queryKey: ['conversation'] });
      setEditing(false);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-labelledby="visitor-contact">
      <div className="section-head">
        <h3 id="visitor-contact">{t('visitor.contact')}</h3>
        {!editing && (
          <button type="button" className="link" data-testid="edit-contact" onClick={() => setEditing(true)}>
            {t('visitor.edit')}
          </button>
        )}
      </div>
      {editing ? (
        <form className="stack" onSubmit={submit}>
          {FIELDS.map((field) => (
            <label key={field} className="stack-field">
              <span>{t(`visitor.${field}`)}</span>
              <input
                name={field}
                type={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
                value={values[field]}
                onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
              />
            </label>
          ))}
          <ErrorLine error={save.error} />
          <div className="dialog-actions">
            <button type="button" onClick={() => setEditing(false)}>
              {t('dialog.cancel')}
            </button>
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('dialog.save')}
            </button>
          </div>
        </form>
      ) : (
        <dl>
          <Field label={t('visitor.name')} value={contact.name} />
          <Field
            label={t('visitor.email')}
            value={contact.email}
            href={contact.email && `mailto:${contact.email}`}
          />
          <Field
            label={t('visitor.phone')}
            value={contact.phone}
            href={contact.phone && `tel:${contact.phone}`}
          />
        </dl>
      )}
    </section>
  );
}

// Pieces the admin pages and dialogs share: the error line under a form or list, a dialog's
// cancel/save row, a settings form's save row, the language select, and a list table with
// edit/delete per row.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '@frontline/protocol';
import { describeError } from '../i18n/errors.js';

export function ErrorLine({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {describeError(error, t)}
    </p>
  );
}

export function FormFooter({
  error,
  pending,
  onCancel,
}: {
  error: unknown;
  pending: boolean;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <ErrorLine error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          {t('dialog.cancel')}
        </button>
        <button type="submit" className="primary" disabled={pending}>
          {t('dialog.save')}
        </button>
      </div>
    </>
  );
}

/** A settings form's last row: the error, "saved" once it is, and the save button. */
export function SaveRow({ error, pending, saved }: { error: unknown; pending: boolean; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <ErrorLine error={error} />
      {saved && (
        <p className="saved" role="status">
          {t('admin.saved')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>
          {t('dialog.save')}
        </button>
      </div>
    </>
  );
}

export function LocaleSelect({
  label,
  value,
  onChange,
  anyLabel,
}: {
  label: string;
  value: Locale | '';
  onChange(locale: Locale | ''): void;
  /** Offers "any language" (the empty value) under this label. */
  anyLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <select
      name="locale"
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value === 'ru' || e.target.value === 'en' ? e.target.value : '')}
    >
      {anyLabel !== undefined && <option value="">{anyLabel}</option>}
      <option value="ru">{t('languages.ru')}</option>
      <option value="en">{t('languages.en')}</option>
    </select>
  );
}

/** A list table: the given column headings, then a last column of row actions. */
export function AdminTable({ columns, children }: { columns: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <table className="admin-table">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">{t('admin.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function RowActions({ onEdit, onDelete }: { onEdit(): void; onDelete(): void }) {
  const { t } = useTranslation();
  return (
    <div className="row-actions">
      <button type="button" onClick={onEdit}>
        {t('admin.edit')}
      </button>
      <button type="button" className="danger" onClick={onDelete}>
        {t('admin.delete')}
      </button>
    </div>
  );
}

// One labelled value of the visitor panel; links only to web pages, mail and phone.
import { useTranslation } from 'react-i18next';

interface FieldProps {
  label: string;
  value: string | null | undefined;
  href?: string | null | undefined;
  title?: string | undefined;
}

/** A referrer of another scheme (javascript:, data:) is shown, not followed. */
const SAFE_LINK = /^(https?:|mailto:|tel:)/i;

export function Field({ label, value, href, title }: FieldProps) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <dt>{label}</dt>
      {value ? (
        <dd title={title ?? (href ? href : undefined)}>
          {href && SAFE_LINK.test(href) ? (
            <a href={href} target={href.startsWith('http') ? '_blank' : undefined} rel="noopener noreferrer">
              {value}
            </a>
          ) : (
            value
          )}
        </dd>
      ) : (
        <dd className="muted">{t('visitor.unknown')}</dd>
      )}
    </div>
  );
}

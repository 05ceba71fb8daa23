// The visit the widget reported: channel, page, where they came from, address, system and
// browser, language, time zone and time on site.
import { useTranslation } from 'react-i18next';
import type { Contact, Conversation } from '@frontline/protocol';
import { useNow } from '../components/hooks.js';
import { describeBrowser, describeSystem } from '../components/user-agent.js';
import { formatDuration } from '../i18n/format.js';
import { Field } from './Field.js';

const CLOCK_TICK_MS = 30_000;

export function VisitDetails({ contact, conversation }: { contact: Contact; conversation: Conversation }) {
  const { t, i18n } = useTranslation();
  const now = useNow(CLOCK_TICK_MS);
  const { metadata } = contact;
  const userAgent = metadata.userAgent;
  return (
    <section aria-labelledby="visitor-visit">
      <h3 id="visitor-visit">{t('visitor.visit')}</h3>
      <dl>
        <Field label={t('visitor.channel')} value={t(`channel.${conversation.channel}`)} />
        <Field
          label={t('visitor.page')}
          value={metadata.pageTitle ?? metadata.pageUrl}
          href={metadata.pageUrl}
        />
        <Field label={t('visitor.referrer')} value={metadata.referrer} href={metadata.referrer} />
        <Field label={t('visitor.ip')} value={metadata.ip} />
        <Field label={t('visitor.os')} value={userAgent && describeSystem(userAgent)} title={userAgent} />
        <Field
          label={t('visitor.browser')}
          value={userAgent && describeBrowser(userAgent)}
          title={userAgent}
        />
        <Field label={t('visitor.language')} value={metadata.language} />
        <Field label={t('visitor.timezone')} value={metadata.timezone} />
        <Field
          label={t('visitor.timeOnSite')}
          value={
            metadata.visitStartedAt !== undefined
              ? formatDuration(now - metadata.visitStartedAt, i18n.language)
              : undefined
          }
        />
      </dl>
    </section>
  );
}

// Narrowing the list: by channel, and by a tag in use.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Channel } from '@frontline/protocol';
import { CHANNEL_CHOICES } from '../api/constants.js';
import { fetchTagUsage } from '../api/endpoints.js';
import { keys } from '../api/keys.js';

interface Props {
  channel: Channel | '';
  tag: string;
  onChannel(channel: Channel | ''): void;
  onTag(tag: string): void;
}

export function ListFilters({ channel, tag, onChannel, onTag }: Props) {
  const { t } = useTranslation();
  const tags = useQuery({ queryKey: keys.tagUsage, queryFn: fetchTagUsage, staleTime: 60_000 });
  return (
    <div className="filters">
      <label>
        <span className="visually-hidden">{t('filters.channel')}</span>
        <select
          value={channel}
          data-testid="filter-channel"
          onChange={(e) => onChannel(CHANNEL_CHOICES.find((c) => c === e.target.value) ?? '')}
        >
          <option value="">{t('filters.allChannels')}</option>
          {CHANNEL_CHOICES.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('filters.tag')}</span>
        <select value={tag} data-testid="filter-tag" onChange={(e) => onTag(e.target.value)}>
          <option value="">{t('filters.allTags')}</option>
          {tags.data?.map((usage) => (
            <option key={usage.tag} value={usage.tag}>
              #{usage.tag} ({usage.count})
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

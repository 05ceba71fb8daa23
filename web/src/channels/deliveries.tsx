// The delivery state of replies sent through a messenger or e-mail channel, on each message in
// the workspace: fetched when a conversation opens, kept current by `channel:delivery` socket
// events, and a failed reply shows the provider's reason.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelDelivery } from '@frontline/protocol';
import { channelKeys, fetchDeliveries } from './api.js';

/** Applies a socket event to the cached deliveries of its conversation. */
export function applyChannelDelivery(queries: QueryClient, delivery: ChannelDelivery): void {
  queries.setQueryData<ChannelDelivery[]>(channelKeys.deliveries(delivery.conversationId), (old) =>
    old ? [...old.filter((d) => d.messageId !== delivery.messageId), delivery] : old,
  );
}

/** Deliveries of a conversation by message id (empty for the widget). */
export function useChannelDeliveries(conversationId: string, channel: string): Map<string, ChannelDelivery> {
  const query = useQuery({
    queryKey: channelKeys.deliveries(conversationId),
    queryFn: () => fetchDeliveries(conversationId),
    enabled: channel !== 'widget',
  });
  return useMemo(() => new Map((query.data ?? []).map((d) => [d.messageId, d])), [query.data]);
}

export function ChannelDeliveryMark({ delivery }: { delivery: ChannelDelivery }) {
  const { t } = useTranslation();
  if (delivery.status === 'failed')
    return (
      <span className="delivery failed" data-testid="channel-delivery" data-state="failed" role="status">
        {' ⚠ '}
        {t('channels.delivery.failed', { reason: delivery.error ?? '' })}
      </span>
    );
  const marks = { pending: ' ◷ ', sent: ' ✓ ', delivered: ' ✓✓ ', read: ' ✓✓ ' } as const;
  return (
    <span
      className={`delivery ${delivery.status}`}
      data-testid="channel-delivery"
      data-state={delivery.status}
    >
      <span aria-hidden="true">{marks[delivery.status]}</span>
      {t(`channels.delivery.${delivery.status}`)}
      {delivery.status === 'pending' && delivery.error
        ? ` (${t('channels.delivery.retrying', { reason: delivery.error })})`
        : ''}
    </span>
  );
}

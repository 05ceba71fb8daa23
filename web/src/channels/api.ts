// REST calls of the Channels admin page and the delivery state of channel replies.
import type {
  ChannelAccount,
  ChannelAccountInput,
  ChannelAccountPatch,
  ChannelDelivery,
  ChannelTestResult,
} from '@frontline/protocol';
import { api } from '../api/http.js';

export const channelKeys = {
  accounts: ['channel-accounts'] as const,
  deliveries: (conversationId: string) => ['channel-deliveries', conversationId] as const,
};

export const fetchChannels = () => api<ChannelAccount[]>('GET', '/api/channels');
export const createChannel = (input: ChannelAccountInput) =>
  api<ChannelAccount>('POST', '/api/channels', input);
export const updateChannel = (id: string, patch: ChannelAccountPatch) =>
  api<ChannelAccount>('PATCH', `/api/channels/${id}`, patch);
export const deleteChannel = (id: string) => api<void>('DELETE', `/api/channels/${id}`);
export const testChannel = (id: string) => api<ChannelTestResult>('POST', `/api/channels/${id}/test`);
export const fetchDeliveries = (conversationId: string) =>
  api<ChannelDelivery[]>('GET', `/api/conversations/${conversationId}/channel-deliveries`);

// REST calls of the integrations area (customer cards, contact tools, admin pages), typed by the
// protocol; the same `api` as the rest of the workspace (cookie, CSRF token, ApiError).
import type {
  ApiScope,
  ApiToken,
  AuditEntry,
  Contact,
  ContactAttributeDefinition,
  ContactAttributeInput,
  ContactExport,
  CreatedApiToken,
  CustomerCard,
  CustomerCardSettings,
  CustomerCardSettingsInput,
  DeliveryStatus,
  ErasureResult,
  RetentionSettings,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
} from '@frontline/protocol';
import { api } from '../api/http.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const query = (params: Record<string, string | number | null | undefined>) =>
  new URLSearchParams(
    Object.entries(params).flatMap(([key, value]) =>
      value === null || value === undefined || value === '' ? [] : [[key, String(value)]],
    ),
  ).toString();

export const integrationKeys = {
  card: (contactId: string) => ['customer-card', contactId] as const,
  attributes: ['contact-attributes'] as const,
  webhooks: ['webhooks'] as const,
  deliveries: (filter: { endpointId: string | null; status: DeliveryStatus | null }) =>
    ['webhook-deliveries', filter] as const,
  delivery: (id: string) => ['webhook-delivery', id] as const,
  cardSettings: ['customer-card-settings'] as const,
  retention: ['retention'] as const,
  audit: (q: string) => ['audit-log', q] as const,
  tokens: ['api-tokens'] as const,
  contactSearch: (q: string) => ['contact-search', q] as const,
};

// Contacts (visitor panel)
export const fetchCard = (contactId: string) => api<CustomerCard>('GET', `/api/contacts/${contactId}/card`);
export const refreshCard = (contactId: string) =>
  api<CustomerCard>('POST', `/api/contacts/${contactId}/card/refresh`);
export const saveAttributes = (contactId: string, attributes: Contact['attributes']) =>
  api<Contact>('PATCH', `/api/contacts/${contactId}`, { attributes });
export const searchContacts = (q: string) =>
  api<Page<Contact>>('GET', `/api/contacts?${query({ q, limit: 10 })}`);
export const mergeContacts = (targetId: string, sourceContactId: string) =>
  api<Contact>('POST', `/api/contacts/${targetId}/merge`, { sourceContactId });
export const exportContact = (contactId: string) =>
  api<ContactExport>('GET', `/api/contacts/${contactId}/export`);
export const eraseContact = (contactId: string) =>
  api<ErasureResult>('POST', `/api/contacts/${contactId}/erase`);

// Contact attributes
export const fetchAttributes = () => api<ContactAttributeDefinition[]>('GET', '/api/contact-attributes');
export const createAttribute = (input: ContactAttributeInput) =>
  api<ContactAttributeDefinition>('POST', '/api/contact-attributes', input);
export const updateAttribute = (id: string, patch: { label?: string; options?: string[] }) =>
  api<ContactAttributeDefinition>('PATCH', `/api/contact-attributes/${id}`, patch);
export const deleteAttribute = (id: string) => api<void>('DELETE', `/api/contact-attributes/${id}`);

// Webhooks
export const fetchWebhooks = () => api<WebhookEndpoint[]>('GET', '/api/webhooks');
export const createWebhook = (input: WebhookEndpointInput) =>
  api<WebhookEndpointWithSecret>('POST', '/api/webhooks', input);
export const updateWebhook = (id: string, patch: WebhookEndpointPatch) =>
  api<WebhookEndpoint>('PATCH', `/api/webhooks/${id}`, patch);
export const deleteWebhook = (id: string) => api<void>('DELETE', `/api/webhooks/${id}`);
export const rotateWebhookSecret = (id: string) =>
  api<WebhookEndpointWithSecret>('POST', `/api/webhooks/${id}/rotate-secret`);
export const testWebhook = (id: string) => api<WebhookDelivery>('POST', `/api/webhooks/${id}/test`);
export const fetchDeliveries = (
  filter: { endpointId: string | null; status: DeliveryStatus | null },
  cursor: string | null,
) => api<Page<WebhookDelivery>>('GET', `/api/webhook-deliveries?${query({ ...filter, cursor, limit: 25 })}`);
export const fetchDelivery = (id: string) =>
  api<WebhookDeliveryDetail>('GET', `/api/webhook-deliveries/${id}`);
export const redeliver = (id: string) =>
  api<WebhookDelivery>('POST', `/api/webhook-deliveries/${id}/redeliver`);

// Settings
export const fetchCardSettings = () => api<CustomerCardSettings>('GET', '/api/settings/customer-card');
export const saveCardSettings = (input: CustomerCardSettingsInput) =>
  api<CustomerCardSettings>('PUT', '/api/settings/customer-card', input);
export const fetchRetention = () => api<RetentionSettings>('GET', '/api/settings/retention');
export const saveRetention = (resolvedConversationDays: number | null) =>
  api<RetentionSettings>('PUT', '/api/settings/retention', { resolvedConversationDays });

// Audit log and API tokens
export const fetchAudit = (q: string, cursor: string | null) =>
  api<Page<AuditEntry>>('GET', `/api/audit-log?${query({ q, cursor, limit: 50 })}`);
export const fetchTokens = () => api<ApiToken[]>('GET', '/api/tokens');
export const createToken = (name: string, scopes: ApiScope[]) =>
  api<CreatedApiToken>('POST', '/api/tokens', { name, scopes });
export const revokeToken = (id: string) => api<void>('DELETE', `/api/tokens/${id}`);

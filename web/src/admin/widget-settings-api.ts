// The widget settings calls of the admin page (server: /api/widget-settings, admins only).
import type { AdminWidgetSettings, ErrorBody, WidgetSettings } from '@frontline/protocol';
import { ApiError, api } from '../api/http.js';

/** Until the workspace has an admin router, the widget settings page has this address of its own. */
export const WIDGET_SETTINGS_PATH = '/admin/widget';

export const widgetSettingsKey = ['widget-settings'] as const;

export const fetchWidgetSettings = () => api<AdminWidgetSettings>('GET', '/api/widget-settings');

/**
 * Saves the whole settings. Its own request rather than api(): a refusal names the field that is
 * wrong (`appearance.color`), and on a page this long the admin needs to know which one.
 */
export async function saveWidgetSettings(
  settings: WidgetSettings,
  csrfToken: string,
): Promise<AdminWidgetSettings> {
  let response: Response;
  try {
    response = await fetch('/api/widget-settings', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(settings),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached');
  }
  const body = (await response.json().catch(() => null)) as AdminWidgetSettings | ErrorBody | null;
  if (response.ok) return body as AdminWidgetSettings;
  const error = (body as ErrorBody | null)?.error;
  const field = error?.field?.replace(/^body\./, '');
  throw new ApiError(
    response.status,
    error?.code ?? 'internal',
    `${error?.message ?? `HTTP ${response.status}`}${field ? ` (${field})` : ''}`,
  );
}

export const rotateIdentitySecret = () =>
  api<AdminWidgetSettings>('POST', '/api/widget-settings/identity-secret');

/** The snippet a site owner pastes before </body>. */
export const installSnippet = (origin: string, widgetKey: string) =>
  `<script src="${origin}/widget.js" data-key="${widgetKey}" async></script>`;

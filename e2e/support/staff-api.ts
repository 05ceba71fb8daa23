// The operator's and admin's side of a browser test through the REST API, from their own browser
// context (its cookie jar holds the session): set presence, change widget settings, read and answer
// conversations.
import type { APIRequestContext, Browser, BrowserContext } from 'playwright-core';
import type {
  AdminWidgetSettings,
  Contact,
  Conversation,
  Message,
  MessagePage,
  Session,
  WidgetSettingsInput,
} from '@frontline/protocol';
import type { Credentials } from './server.js';

export class StaffApi {
  private constructor(
    readonly context: BrowserContext,
    private readonly baseUrl: string,
    private readonly csrfToken: string,
    readonly session: Session,
  ) {}

  static async logIn(browser: Browser, baseUrl: string, credentials: Credentials): Promise<StaffApi> {
    const context = await browser.newContext();
    const response = await context.request.post(`${baseUrl}/api/auth/login`, { data: credentials });
    if (!response.ok()) throw new Error(`login failed: ${response.status()} ${await response.text()}`);
    const session = (await response.json()) as Session;
    return new StaffApi(context, baseUrl, session.csrfToken, session);
  }

  private get request(): APIRequestContext {
    return this.context.request;
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown): Promise<T> {
    const response = await this.request.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'x-csrf-token': this.csrfToken },
      ...(data === undefined ? {} : { data }),
    });
    if (!response.ok()) throw new Error(`${method} ${path} -> ${response.status()} ${await response.text()}`);
    return response.status() === 204 ? (undefined as T) : ((await response.json()) as T);
  }

  setPresence(presence: 'online' | 'away' | 'offline') {
    return this.call('PUT', '/api/me/presence', { presence });
  }

  /** Saves these settings over the defaults (what is not named goes back to its default). */
  saveWidgetSettings(settings: WidgetSettingsInput) {
    return this.call<AdminWidgetSettings>('PUT', '/api/widget-settings', settings);
  }

  widgetSettings() {
    return this.call<AdminWidgetSettings>('GET', '/api/widget-settings');
  }

  async conversations(query = ''): Promise<Conversation[]> {
    return (await this.call<{ items: Conversation[] }>('GET', `/api/conversations?${query}`)).items;
  }

  /** The newest conversation whose preview or messages match, once it exists. */
  async waitForConversation(match: (c: Conversation) => boolean, timeoutMs = 10_000): Promise<Conversation> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.conversations('limit=50')).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no matching conversation appeared');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async messages(conversationId: string): Promise<Message[]> {
    return (await this.call<MessagePage>('GET', `/api/conversations/${conversationId}/messages?limit=200`))
      .items;
  }

  reply(conversationId: string, body: { text: string; buttons?: unknown[] }) {
    return this.call<Message>('POST', `/api/conversations/${conversationId}/messages`, {
      clientMsgId: `e2e-${crypto.randomUUID()}`,
      ...body,
    });
  }

  act(conversationId: string, action: 'take' | 'resolve' | 'reopen') {
    return this.call<Conversation>('POST', `/api/conversations/${conversationId}/${action}`);
  }

  contact(id: string) {
    return this.call<Contact>('GET', `/api/contacts/${id}`);
  }

  close() {
    return this.context.close();
  }
}

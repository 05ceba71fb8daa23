// A visitor talking to a published bot flow over the widget API, for the bots' integration tests.
import { expect } from 'vitest';
import type { BotFlow, BotFlowInput, Conversation, Message, MessagePage } from '@frontline/protocol';
import type { TestServer } from './harness.js';
import {
  clientId,
  createWorkspace,
  login,
  startVisitor,
  type StaffClient,
  type Visitor,
} from './factories.js';

/** Polls `read` until `done` holds; fails naming what it waited for, with the last value. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function botChat(server: () => TestServer) {
  async function setUp(flow: BotFlowInput, before?: (admin: StaffClient) => Promise<void>) {
    const workspace = await createWorkspace(server());
    const admin = await login(server(), workspace.admin);
    await before?.(admin);
    const created = await admin.json<BotFlow>('POST', '/api/bot-flows', flow);
    await admin.json<BotFlow>('POST', `/api/bot-flows/${created.id}/publish`);
    return { workspace, admin, flow: created };
  }

  async function openChat(
    widgetKey: string,
    lang: 'en' | 'ru' = 'en',
  ): Promise<{ visitor: Visitor; conversation: Conversation }> {
    const visitor = await startVisitor(server(), widgetKey);
    const response = await visitor.request('POST', '/api/widget/conversations', { source: 'visitor', lang });
    expect(response.status).toBe(200);
    return { visitor, conversation: (await response.json()) as Conversation };
  }

  const messagesOf = async (visitor: Visitor, conversationId: string) =>
    (
      (await (
        await visitor.request('GET', `/api/widget/conversations/${conversationId}/messages?limit=100`)
      ).json()) as MessagePage
    ).items;

  const botSaid = (visitor: Visitor, conversationId: string, text: string) =>
    until(
      () => messagesOf(visitor, conversationId),
      (items) => items.some((m) => m.author.type === 'bot' && m.text.includes(text)),
      `the bot to say "${text}"`,
    );

  async function say(
    visitor: Visitor,
    conversationId: string,
    text: string,
    replyTo?: { messageId: string; buttonId: string },
  ) {
    const response = await visitor.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      clientMsgId: clientId(),
      text,
      kind: 'text',
      ...(replyTo ? { replyTo } : {}),
    });
    expect(response.status).toBe(201);
  }

  async function press(visitor: Visitor, conversationId: string, message: Message, label: string) {
    const button = message.buttons.find((b) => b.label === label);
    if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(message.buttons)}`);
    await say(visitor, conversationId, '', { messageId: message.id, buttonId: button.id });
  }

  const conversationOf = (staff: StaffClient, id: string) =>
    staff.json<Conversation>('GET', `/api/conversations/${id}`);

  return { setUp, openChat, messagesOf, botSaid, say, press, conversationOf };
}

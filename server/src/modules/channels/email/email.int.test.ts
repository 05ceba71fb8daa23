// E-mail against local mail servers: customers' mail arrives over our SMTP listener and reaches
// the operator's inbox live, quoted history and signature trimmed, attachment kept, the same
// Message-ID stored once; mail for unknown addresses is refused; the operator's reply goes out
// through the fake SMTP server threaded under the customer's mail; the customer's answer lands
// in the same conversation (reopened); a server answering 451 for a while gets the reply once.
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAccount, ChannelDelivery, Conversation, MessagePage } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  nextConversationUpdate,
  type ClientSocket,
  type StaffClient,
} from '../../../test/factories.js';
import { freePort, startFakeSmtp, type FakeSmtp } from '../../../test/fakes/smtp.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const SUPPORT = 'support@shop.test';
let server: TestServer;
let admin: StaffClient;
let operator: StaffClient;
let socket: ClientSocket;
let outbound: FakeSmtp;
let inboundPort: number;
let account: ChannelAccount;
let n = 0;

const customer = () => `buyer${++n}-${Date.now()}@example.org`;
async function mailIn(message: SendMailOptions): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inboundPort,
    secure: false,
    ignoreTLS: true,
  });
  await transport.sendMail(message);
}
const messagesOf = (id: string) => operator.json<MessagePage>('GET', `/api/conversations/${id}/messages`);
const deliveriesOf = (id: string) =>
  operator.json<ChannelDelivery[]>('GET', `/api/conversations/${id}/channel-deliveries`);
const find = (text: string) =>
  waitFor(
    async () =>
      (
        await operator.json<{ items: Conversation[] }>(
          'GET',
          `/api/conversations?channel=email&q=${encodeURIComponent(text)}`,
        )
      ).items[0],
    20_000,
  );

beforeAll(async () => {
  inboundPort = await freePort();
  server = await startTestServer({
    CHANNEL_SMTP_PORT: String(inboundPort),
    CHANNEL_SMTP_HOST: '127.0.0.1',
    CHANNEL_RETRY_BASE_MS: '200',
    CHANNEL_MAX_ATTEMPTS: '6',
  });
  const workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  socket = await connected(operator.socket());
  outbound = await startFakeSmtp();
  account = await admin.json<ChannelAccount>('POST', '/api/channels', {
    kind: 'email',
    name: 'Support mailbox',
    config: {
      address: SUPPORT,
      fromName: 'Shop support',
      smtpHost: '127.0.0.1',
      smtpPort: outbound.port,
      smtpUser: 'shop',
    },
    secrets: { smtpPassword: 'mail-password-1' },
  });
}, 60_000);
afterAll(async () => {
  socket?.disconnect();
  await server?.close();
  await outbound?.close();
});

describe('e-mail channel', () => {
  it('tests the SMTP login and never shows the password', async () => {
    expect(JSON.stringify(await admin.json('GET', '/api/channels'))).not.toContain('mail-password-1');
    const test = await admin.json<{ ok: boolean; detail: string }>(
      'POST',
      `/api/channels/${account.id}/test`,
    );
    expect(test, test.detail).toMatchObject({ ok: true });
  });

  it('takes in a mail once, trimmed, with its attachment, and threads the reply and the answer', async () => {
    const from = customer();
    const messageId = `<order-${Date.now()}@example.org>`;
    const mail = {
      from: `Анна Петрова <${from}>`,
      to: SUPPORT,
      subject: 'Заказ 1042 не пришёл',
      messageId,
      text: 'Здравствуйте! Где мой заказ?\n\n-- \nАнна\nтел. +7 900 000-00-00\n',
      attachments: [{ filename: 'чек.txt', content: 'receipt 1042' }],
    };
    const live = nextConversationUpdate(socket, (c) => c.channel === 'email', 20_000);
    await mailIn(mail);
    await mailIn(mail); // the sender's server retried
    const conversation = await live;
    const page = await waitFor(async () => {
      const p = await messagesOf(conversation.id);
      return p.items.some((m) => m.attachments.length > 0) ? p : undefined;
    }, 20_000);
    const visitor = page.items.filter((m) => m.author.type === 'visitor');
    expect(visitor).toHaveLength(1);
    expect(visitor[0]!.text).toBe('Заказ 1042 не пришёл\n\nЗдравствуйте! Где мой заказ?');
    expect(visitor[0]!.attachments[0]).toMatchObject({ name: 'чек.txt', size: 'receipt 1042'.length });

    await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Отправили сегодня, трек 123',
    });
    const reply = await waitFor(() => outbound.received.find((m) => m.text?.includes('трек 123')), 20_000);
    expect(reply.to && 'value' in reply.to ? reply.to.value[0]?.address : '').toBe(from);
    expect(reply.from?.value[0]).toMatchObject({ address: SUPPORT, name: 'Shop support' });
    expect(reply.subject).toBe('Re: Заказ 1042 не пришёл');
    expect(reply.inReplyTo).toBe(messageId);
    expect(reply.references).toContain(messageId);

    await operator.json('POST', `/api/conversations/${conversation.id}/resolve`);
    await mailIn({
      from,
      to: SUPPORT,
      subject: 'Re: Заказ 1042 не пришёл',
      messageId: `<answer-${Date.now()}@example.org>`,
      inReplyTo: reply.messageId,
      references: [messageId, reply.messageId!],
      text: `Спасибо, получила!\n\nOn Mon, 1 Dec 2026 at 10:00, Shop support <${SUPPORT}> wrote:\n> Отправили сегодня, трек 123\n`,
    });
    const answer = await waitFor(
      async () => (await messagesOf(conversation.id)).items.find((m) => m.text.startsWith('Спасибо')),
      20_000,
    );
    expect(answer.text).toBe('Спасибо, получила!');
    const reopened = await operator.json<Conversation>('GET', `/api/conversations/${conversation.id}`);
    expect(reopened.status).not.toBe('resolved');
  });

  it('sends the files an operator attached as mail attachments, and buttons as a list', async () => {
    const from = customer();
    const subject = `Счёт ${Date.now()}`;
    await mailIn({ from, to: SUPPORT, subject, text: 'Пришлите счёт, пожалуйста' });
    const conversation = await find(subject);
    const file = await operator.upload('invoice.pdf', '%PDF-1.4 invoice\n', 'application/pdf');
    await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: `Счёт во вложении ${subject}`,
      fileIds: [file.id],
      buttons: [
        { id: 'pay', label: 'Оплатить', url: 'https://pay.example.org/1' },
        { id: 'call', label: 'Перезвоните мне' },
      ],
    });
    const mail = await waitFor(
      () => outbound.received.find((m) => m.text?.includes(`Счёт во вложении ${subject}`)),
      20_000,
    );
    expect(mail.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
    expect(mail.text).toContain('Оплатить: https://pay.example.org/1');
    expect(mail.text).toContain('2. Перезвоните мне');
  });

  it('refuses mail for an address no channel has', async () => {
    await expect(
      mailIn({ from: customer(), to: 'nobody@shop.test', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550|No such mailbox/);
  });

  it('delivers the reply once after the mail server answered 451 for a while', async () => {
    const from = customer();
    const subject = `Вопрос ${Date.now()}`;
    await mailIn({ from, to: SUPPORT, subject, text: 'Есть ли размер M?' });
    const conversation = await find(subject);
    outbound.failNext(3);
    const sent = await operator.json<{ id: string }>(
      'POST',
      `/api/conversations/${conversation.id}/messages`,
      {
        clientMsgId: clientId(),
        text: `Да, есть ${subject}`,
      },
    );
    const delivered = await waitFor(
      async () =>
        (await deliveriesOf(conversation.id)).find((d) => d.messageId === sent.id && d.status === 'sent'),
      30_000,
    );
    expect(delivered.attempts).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(outbound.received.filter((m) => m.text?.includes(`Да, есть ${subject}`))).toHaveLength(1);
  });
});

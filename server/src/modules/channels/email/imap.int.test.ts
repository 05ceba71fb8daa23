// E-mail read from a real IMAP server (Dovecot on loopback, test/dovecot.ts): a mail put into the
// mailbox becomes a conversation message with its attachment and is marked \Seen; the customer's
// answer to the operator's reply lands in the same conversation; a node that stops and another
// that starts on the same database read on without taking a mail in twice and pick up what came
// meanwhile; two nodes on one database hold one IMAP session between them and the survivor takes
// over; a wrong password shows as the channel's error in plain words.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAccount, Conversation, MessagePage } from '@frontline/protocol';
import {
  clientId,
  createWorkspace,
  login,
  type StaffClient,
  type TestWorkspace,
} from '../../../test/factories.js';
import { startDovecot, type Dovecot } from '../../../test/dovecot.js';
import { startFakeSmtp, type FakeSmtp } from '../../../test/fakes/smtp.js';
import { nodesOnOneDatabase, type SharedDatabaseNodes, type TestServer } from '../../../test/harness.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const SUPPORT = 'support@imap-shop.test';
const ENV = {
  CHANNEL_READER_LEASE_MS: '3000',
  CHANNEL_RETRY_BASE_MS: '200',
  CHANNEL_READER_RETRY_MAX_MS: '1000',
};

let dovecot: Dovecot;
let outbound: FakeSmtp;
let nodes: SharedDatabaseNodes;
let firstNode: TestServer;
let workspace: TestWorkspace;
let account: ChannelAccount;
let n = 0;

const customer = () => `buyer${++n}-${Date.now()}@example.org`;
const mailOf = (message: Mail.Options): Promise<Buffer> => new MailComposer(message).compile().build();
const deliver = async (message: Mail.Options, options?: { mailbox?: string; flags?: string[] }) =>
  dovecot.append(await mailOf({ to: SUPPORT, ...message }), options);

const staff = (server: TestServer, role: 'admin' | 'operator' = 'operator') => login(server, workspace[role]);

const messagesOf = (client: StaffClient, id: string) =>
  client.json<MessagePage>('GET', `/api/conversations/${id}/messages`);
const visitorMessages = async (client: StaffClient, id: string) =>
  (await messagesOf(client, id)).items.filter((m) => m.author.type === 'visitor');
const conversationAbout = (client: StaffClient, text: string) =>
  waitFor(
    async () =>
      (
        await client.json<{ items: Conversation[] }>(
          'GET',
          `/api/conversations?channel=email&q=${encodeURIComponent(text)}`,
        )
      ).items[0],
    20_000,
  );
async function position(server: TestServer) {
  return server.app.storage.db
    .selectFrom('channel_imap_mailboxes')
    .selectAll()
    .where('account_id', '=', account.id)
    .executeTakeFirstOrThrow();
}
async function reader(server: TestServer) {
  return server.app.storage.db
    .selectFrom('channel_readers')
    .selectAll()
    .where('account_id', '=', account.id)
    .executeTakeFirstOrThrow();
}
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  dovecot = await startDovecot();
  outbound = await startFakeSmtp();
  nodes = await nodesOnOneDatabase(ENV);
  firstNode = await nodes.start();
  workspace = await createWorkspace(firstNode);
  const admin = await staff(firstNode, 'admin');
  account = await admin.json<ChannelAccount>('POST', '/api/channels', {
    kind: 'email',
    name: 'Support mailbox (IMAP)',
    config: {
      address: SUPPORT,
      fromName: 'Shop support',
      smtpHost: '127.0.0.1',
      smtpPort: outbound.port,
      inbound: 'imap',
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapUser: dovecot.user,
    },
    secrets: { imapPassword: dovecot.password },
  });
}, 60_000);

afterAll(async () => {
  await nodes?.close();
  await dovecot?.close();
  await outbound?.close();
});

describe('e-mail channel reading an IMAP mailbox', () => {
  let node: TestServer;
  let operator: StaffClient;
  let first: { from: string; subject: string; conversationId: string; mail: Mail.Options };

  it('takes a new mail in as one conversation message with its attachment, and marks it \\Seen', async () => {
    node = firstNode;
    operator = await staff(node!);
    const from = customer();
    const subject = `Заказ ${Date.now()} не пришёл`;
    const mail: Mail.Options = {
      from: `Анна Петрова <${from}>`,
      subject,
      messageId: `<order-${Date.now()}@example.org>`,
      text: 'Здравствуйте! Где мой заказ?\n\n-- \nАнна\nтел. +7 900 000-00-00\n',
      attachments: [{ filename: 'чек.txt', content: 'receipt 1042' }],
    };
    await deliver(mail);
    const conversation = await conversationAbout(operator, subject);
    const visitor = await waitFor(async () => {
      const items = await visitorMessages(operator, conversation.id);
      return items.length > 0 ? items : undefined;
    });
    expect(visitor).toHaveLength(1);
    expect(visitor[0]!.text).toBe(`${subject}\n\nЗдравствуйте! Где мой заказ?`);
    expect(visitor[0]!.attachments[0]).toMatchObject({ name: 'чек.txt', size: 'receipt 1042'.length });
    const flags = await waitFor(async () => {
      const all = await dovecot.flags();
      return [...all.values()].every((f) => f.has('\\Seen')) ? all : undefined;
    });
    expect(flags.size).toBe(1);
    const stored = await position(node!);
    expect(stored.last_uid).toBe(Math.max(...flags.keys()));
    first = { from, subject, conversationId: conversation.id, mail };
  });

  it("files the customer's answer to the operator's reply in the same conversation, reopened", async () => {
    await operator.json('POST', `/api/conversations/${first.conversationId}/messages`, {
      clientMsgId: clientId(),
      text: 'Отправили сегодня, трек 123',
    });
    const reply = await waitFor(() => outbound.received.find((m) => m.text?.includes('трек 123')), 20_000);
    expect(reply.inReplyTo).toMatch(/^<order-/);
    await operator.json('POST', `/api/conversations/${first.conversationId}/resolve`);
    await deliver({
      from: first.from,
      subject: `Re: ${first.subject}`,
      messageId: `<answer-${Date.now()}@example.org>`,
      inReplyTo: reply.messageId,
      references: [reply.inReplyTo!, reply.messageId!],
      text: `Спасибо, получила!\n\nOn Mon, 1 Dec 2026 at 10:00, Shop support <${SUPPORT}> wrote:\n> Отправили сегодня, трек 123\n`,
    });
    const answer = await waitFor(
      async () =>
        (await messagesOf(operator, first.conversationId)).items.find((m) => m.text.startsWith('Спасибо')),
      20_000,
    );
    expect(answer.text).toBe('Спасибо, получила!');
    const reopened = await operator.json<Conversation>('GET', `/api/conversations/${first.conversationId}`);
    expect(reopened.status).not.toBe('resolved');
  });

  it('reads on after a restart without taking a mail in twice, and picks up mail that came while it was down', async () => {
    const before = await visitorMessages(operator, first.conversationId);
    await nodes.stop(node);
    // While no node reads the mailbox: a new mail, and the first one delivered a second time.
    const subject = `Возврат ${Date.now()}`;
    await deliver({ from: customer(), subject, text: 'Хочу вернуть куртку' });
    await deliver(first.mail);
    node = await nodes.start();
    operator = await staff(node);
    const conversation = await conversationAbout(operator, subject);
    expect((await visitorMessages(operator, conversation.id)).map((m) => m.text)).toEqual([
      `${subject}\n\nХочу вернуть куртку`,
    ]);
    await settle(1500);
    expect(await visitorMessages(operator, first.conversationId)).toHaveLength(before.length);
    const flags = await dovecot.flags();
    expect((await position(node)).last_uid).toBe(Math.max(...flags.keys()));
  });

  it('two nodes on one database hold one IMAP session between them; the other takes over when it stops', async () => {
    const second = await nodes.start();
    // Several lease sweeps (a third of the 3 s lease each): still one session, held by one node.
    await settle(3000);
    expect(await dovecot.sessions()).toBe(1);
    const holder = (await reader(node)).owner;
    expect(holder).toBeTruthy();
    const subject = `Размер ${Date.now()}`;
    await deliver({ from: customer(), subject, text: 'Есть ли размер M?' });
    const conversation = await conversationAbout(operator, subject);
    await settle(1000);
    expect(await visitorMessages(operator, conversation.id)).toHaveLength(1);

    await nodes.stop(node);
    node = second;
    operator = await staff(node);
    const later = `Доставка ${Date.now()}`;
    await deliver({ from: customer(), subject: later, text: 'Когда доставка?' });
    await conversationAbout(operator, later);
    expect((await reader(node)).owner).not.toBe(holder);
    expect(await dovecot.sessions()).toBe(1);
  });

  it(
    "shows a mail server that is down as the channel's error, reconnects when it is back, and reads on",
    { timeout: 90_000 },
    async () => {
      const admin = await staff(node, 'admin');
      const errorOf = async () =>
        (await admin.json<ChannelAccount[]>('GET', '/api/channels')).find((c) => c.id === account.id)
          ?.lastError;
      await dovecot.stop();
      // First the session sees its connection closed, then reconnecting is refused.
      // Noticing the closed session and the refused reconnect can take a while on a loaded machine.
      const down = await waitFor(async () => {
        const error = await errorOf();
        return error?.includes('cannot reach') ? error : undefined;
      }, 40_000);
      expect(down).toBe(
        `IMAP: cannot reach ${dovecot.host}:${dovecot.port} (ECONNREFUSED): check the IMAP server and port`,
      );
      await dovecot.start();
      const subject = `Снова на связи ${Date.now()}`;
      await deliver({ from: customer(), subject, text: 'Почта снова работает?' });
      const conversation = await conversationAbout(operator, subject);
      expect(await visitorMessages(operator, conversation.id)).toHaveLength(1);
      await waitFor(async () => ((await errorOf()) === null ? true : undefined));
    },
  );

  it(
    "shows a wrong password as the channel's error in plain words, and clears it once the password is right",
    { timeout: 90_000 },
    async () => {
      const admin = await staff(node, 'admin');
      const broken = await admin.json<ChannelAccount>('POST', '/api/channels', {
        kind: 'email',
        name: 'Sales mailbox',
        config: { ...account.config, address: 'sales@imap-shop.test' },
        secrets: { imapPassword: 'not-the-password' },
      });
      const expected = `IMAP: the server ${dovecot.host}:${dovecot.port} refused the login of "${dovecot.user}": check the IMAP user name and password`;
      const failing = await waitFor(async () => {
        const all = await admin.json<ChannelAccount[]>('GET', '/api/channels');
        return all.find((c) => c.id === broken.id && c.lastError?.startsWith(expected));
      }, 40_000);
      expect(failing.lastError).toContain(expected);
      const test = await admin.json<{ ok: boolean; detail: string }>(
        'POST',
        `/api/channels/${broken.id}/test`,
      );
      expect(test.ok).toBe(false);
      expect(test.detail).toContain(expected);

      await admin.json('PATCH', `/api/channels/${broken.id}`, {
        secrets: { imapPassword: dovecot.password },
      });
      await waitFor(async () => {
        const all = await admin.json<ChannelAccount[]>('GET', '/api/channels');
        return all.find((c) => c.id === broken.id && c.lastError === null);
      });
      expect((await admin.request('DELETE', `/api/channels/${broken.id}`)).status).toBe(204);
    },
  );

  it('takes in the unread mail of a folder it reads for the first time and leaves read mail as history', async () => {
    const folder = 'Shop';
    const read = `Архив ${Date.now()}`;
    const unread = `Не прочитано ${Date.now()}`;
    await deliver(
      { from: customer(), subject: read, text: 'Старое письмо' },
      { mailbox: folder, flags: ['\\Seen'] },
    );
    await deliver({ from: customer(), subject: unread, text: 'Ждёт ответа' }, { mailbox: folder });
    const admin = await staff(node, 'admin');
    const shop = await admin.json<ChannelAccount>('POST', '/api/channels', {
      kind: 'email',
      name: 'Shop folder',
      config: { ...account.config, address: 'shop@imap-shop.test', imapMailbox: folder },
      secrets: { imapPassword: dovecot.password },
    });
    const conversation = await conversationAbout(operator, unread);
    expect((await visitorMessages(operator, conversation.id)).map((m) => m.text)).toEqual([
      `${unread}\n\nЖдёт ответа`,
    ]);
    await settle(1000);
    const found = await operator.json<{ items: Conversation[] }>(
      'GET',
      `/api/conversations?channel=email&q=${encodeURIComponent(read)}`,
    );
    expect(found.items).toHaveLength(0);
    expect((await admin.request('DELETE', `/api/channels/${shop.id}`)).status).toBe(204);
  });

  it("polls a server without IDLE at the channel's interval", async () => {
    const plain = await startDovecot({ idle: false });
    try {
      const admin = await staff(node, 'admin');
      const polled = await admin.json<ChannelAccount>('POST', '/api/channels', {
        kind: 'email',
        name: 'Polled mailbox',
        config: {
          ...account.config,
          address: 'polled@imap-shop.test',
          imapPort: plain.port,
          imapPollSeconds: 5,
        },
        secrets: { imapPassword: plain.password },
      });
      const test = await admin.json<{ ok: boolean; detail: string }>(
        'POST',
        `/api/channels/${polled.id}/test`,
      );
      expect(test.detail).toContain('polled every 5 s');
      await settle(2000); // the session is open and waiting before the mail arrives
      const subject = `Опрос ${Date.now()}`;
      await plain.append(
        await mailOf({ from: customer(), to: 'polled@imap-shop.test', subject, text: 'Без IDLE' }),
      );
      const conversation = await conversationAbout(operator, subject);
      expect(await visitorMessages(operator, conversation.id)).toHaveLength(1);
      expect((await admin.request('DELETE', `/api/channels/${polled.id}`)).status).toBe(204);
    } finally {
      await plain.close();
    }
  });

  it('refuses an IMAP channel without its server, naming the missing field', async () => {
    const admin = await staff(node, 'admin');
    const { imapHost: _host, ...config } = account.config;
    const response = await admin.request('POST', '/api/channels', {
      kind: 'email',
      name: 'Half-configured',
      config,
      secrets: { imapPassword: dovecot.password },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        field: 'config.imapHost',
        message: expect.stringContaining('required when inbound mail is read over IMAP'),
      },
    });
  });
});

// Replies to offline requests by e-mail, against a local SMTP server (smtp-server) standing in for
// the real one: replies in a row make one letter, replies the visitor read in the widget are not
// mailed, notes never are, and a failed delivery is retried with the same replies.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, OfflineRequestResult } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  startVisitor,
  type StaffClient,
  type TestWorkspace,
  type Visitor,
} from '../../../test/factories.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';

const MAIL_DELAY_SECONDS = 1;

let smtp: SMTPServer;
let letters: ParsedMail[] = [];
let refuseNext = 0;
let server: TestServer;
let workspace: TestWorkspace;
let operator: StaffClient;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (refuseNext > 0) {
            refuseNext -= 1;
            callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
            return;
          }
          letters.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as AddressInfo;
  server = await startTestServer({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    MAIL_FROM: 'Shop support <support@shop.test>',
    WIDGET_REPLY_MAIL_DELAY_SECONDS: String(MAIL_DELAY_SECONDS),
  });
  workspace = await createWorkspace(server);
  operator = await login(server, workspace.operator);
}, 30_000);
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function offlineRequest(visitor: Visitor, email: string | undefined, lang: 'ru' | 'en') {
  const response = await visitor.request('POST', '/api/widget/offline-requests', {
    clientMsgId: clientId(),
    text: 'Do you deliver to Kazan?',
    lang,
    ...(email ? { email } : {}),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as OfflineRequestResult).conversation;
}

const reply = (conversationId: string, text: string, kind: 'text' | 'note' = 'text') =>
  operator.json<Message>('POST', `/api/conversations/${conversationId}/messages`, {
    clientMsgId: clientId(),
    text,
    kind,
  });

/** Waits until `count` letters have arrived, then a little longer to see that no more come. */
async function lettersAfter(count: number): Promise<ParsedMail[]> {
  const deadline = Date.now() + 10_000;
  while (letters.length < count && Date.now() < deadline) await sleep(100);
  await sleep((MAIL_DELAY_SECONDS + 1) * 1000);
  return letters;
}

describe('e-mailed replies to offline requests', () => {
  it('mails the replies in a row as one letter in the visitor’s language', async () => {
    letters = [];
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await offlineRequest(visitor, 'Visitor@Mail.test', 'en');
    await reply(conversation.id, 'Yes, we deliver to Kazan.');
    await reply(conversation.id, 'It takes 3 days.\nShipping is free.');

    const [letter, ...more] = await lettersAfter(1);
    expect(more).toEqual([]);
    expect(letter?.to && 'text' in letter.to ? letter.to.text : '').toBe('visitor@mail.test');
    expect(letter?.from?.text).toContain('support@shop.test');
    expect(letter?.subject).toMatch(/^A reply to your question — Workspace \d+$/);
    expect(letter?.text).toContain('Olga:\nYes, we deliver to Kazan.');
    expect(letter?.text).toContain('It takes 3 days.\nShipping is free.');
    expect(letter?.text).toContain('https://shop.test/cart');
    expect(letter?.html).toContain('It takes 3 days.<br>Shipping is free.');
  });

  it('does not mail what the visitor read in the widget, nor internal notes', async () => {
    letters = [];
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await offlineRequest(visitor, 'reader@mail.test', 'ru');
    const socket = await connected(visitor.socket());
    const delivered = new Promise<Message>((resolve) =>
      socket.on('message:new', (message) => {
        if (message.author.type === 'operator') resolve(message);
      }),
    );
    // The visitor's socket hears the conversation once it syncs it, as the widget does.
    await new Promise((resolve) =>
      socket.emit('sync', { conversations: [{ id: conversation.id, afterSeq: 0 }] }, resolve),
    );
    const answer = await reply(conversation.id, 'Ответ, прочитанный в чате');
    expect((await delivered).id).toBe(answer.id);
    await new Promise((resolve) =>
      socket.emit('read', { conversationId: conversation.id, seq: answer.seq }, resolve),
    );
    await reply(conversation.id, 'Only for colleagues', 'note');
    expect(await lettersAfter(0)).toEqual([]);
    socket.disconnect();

    const unread = await reply(conversation.id, 'А это уже не прочитано');
    const [letter] = await lettersAfter(1);
    expect(letter?.subject).toMatch(/^Ответ на ваш вопрос/);
    expect(letter?.text).toContain(unread.text);
    expect(letter?.text).not.toContain('прочитанный в чате');
  });

  it('sends nothing to a request without an e-mail', async () => {
    letters = [];
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await offlineRequest(visitor, undefined, 'en');
    await reply(conversation.id, 'We will answer here');
    expect(await lettersAfter(0)).toEqual([]);
  });

  it('retries a letter the mail server refused, with the same replies', async () => {
    letters = [];
    refuseNext = 1;
    const visitor = await startVisitor(server, workspace.widgetKey);
    const conversation = await offlineRequest(visitor, 'retry@mail.test', 'en');
    await reply(conversation.id, 'Sorry for the wait');
    const [letter, ...more] = await lettersAfter(1);
    expect(refuseNext).toBe(0);
    expect(letter?.text).toContain('Sorry for the wait');
    expect(more).toEqual([]);
  });
});

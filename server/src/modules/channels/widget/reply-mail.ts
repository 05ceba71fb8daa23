// Replies to offline requests by e-mail: the letter (in the visitor's language) and its sending
// over SMTP with nodemailer. Without SMTP settings nothing is mailed and the visitor reads the
// reply in the widget on their next visit.
import nodemailer from 'nodemailer';
import type { Locale } from '@frontline/protocol';

export interface Letter {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailSender {
  send(letter: Letter): Promise<void>;
}

export interface SmtpSettings {
  /** smtp://user:pass@host:587 or smtps://…:465 */
  url: string;
  from: string;
}

export function smtpMailSender(settings: SmtpSettings): MailSender {
  const transport = nodemailer.createTransport(settings.url);
  return {
    send: async (letter) => {
      await transport.sendMail({ from: settings.from, ...letter });
    },
  };
}

const WORDS = {
  ru: {
    subject: 'Ответ на ваш вопрос — {workspace}',
    intro: 'Здравствуйте! Вы оставили вопрос в чате «{workspace}». Вот ответ:',
    more: 'Продолжить разговор можно в чате на сайте: {page}',
    moreNoPage: 'Продолжить разговор можно в чате на сайте.',
    operator: 'Оператор',
  },
  en: {
    subject: 'A reply to your question — {workspace}',
    intro: 'Hello! You left a question in the {workspace} chat. Here is the reply:',
    more: 'You can continue the conversation in the chat on the site: {page}',
    moreNoPage: 'You can continue the conversation in the chat on the site.',
    operator: 'Operator',
  },
} as const;

export interface ReplyLetterInput {
  to: string;
  lang: Locale;
  workspaceName: string;
  /** The page the visitor asked from: the letter sends them back there. */
  pageUrl: string | null;
  replies: { author: string | null; text: string }[];
}

export function replyLetter(input: ReplyLetterInput): Letter {
  const words = WORDS[input.lang];
  const fill = (text: string, page = '') =>
    text.replace('{workspace}', input.workspaceName).replace('{page}', page);
  const replies = input.replies.map((r) => ({ author: r.author ?? words.operator, text: r.text }));
  // The page address came from the visitor's browser: only a web address becomes a link.
  const pageUrl = input.pageUrl && /^https?:\/\//i.test(input.pageUrl) ? input.pageUrl : null;
  const more = pageUrl ? fill(words.more, pageUrl) : words.moreNoPage;
  const text = [fill(words.intro), '', ...replies.flatMap((r) => [`${r.author}:`, r.text, '']), more].join(
    '\n',
  );
  const html = [
    `<p>${escapeHtml(fill(words.intro))}</p>`,
    ...replies.map(
      (r) =>
        `<p><strong>${escapeHtml(r.author)}:</strong><br>${escapeHtml(r.text).replace(/\n/g, '<br>')}</p>`,
    ),
    pageUrl
      ? `<p>${escapeHtml(fill(words.more, '').trim())} <a href="${escapeHtml(pageUrl)}">${escapeHtml(pageUrl)}</a></p>`
      : `<p>${escapeHtml(words.moreNoPage)}</p>`,
  ].join('\n');
  return { to: input.to, subject: fill(words.subject), text, html };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

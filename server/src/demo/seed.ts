// The demo workspace a first start creates, so a newcomer can log in and chat at once, and find
// a few help articles in the widget and the help centre.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeArticleInput } from '@frontline/protocol';
import type { FrontlineApp } from '../app.js';

export interface DemoLogins {
  admin: { email: string; password: string };
  operator: { email: string; password: string };
  widgetKey: string;
}

export const DEMO_LOGINS_FILE = 'demo-logins.txt';

/** The demo shop's help articles, in both languages. */
const DEMO_ARTICLES: KnowledgeArticleInput[] = [
  {
    locale: 'ru',
    category: 'Доставка',
    title: 'Сроки и стоимость доставки',
    body: 'Доставляем по Москве за 1–2 дня, по России за 3–7 дней.\n\n- Курьером по Москве: 300 ₽, бесплатно от 5 000 ₽.\n- Пункты выдачи: 200 ₽.\n\nНомер для отслеживания придёт на почту в день отправки.',
  },
  {
    locale: 'ru',
    category: 'Возврат',
    title: 'Как вернуть товар',
    body: 'Товар надлежащего качества можно вернуть в течение 14 дней, если сохранены упаковка и чек.\n\n1. Напишите нам в чат номер заказа.\n2. Отнесите товар в пункт выдачи.\n3. Деньги вернутся на карту за 3–10 дней.',
  },
  {
    locale: 'ru',
    category: 'Оплата',
    title: 'Способы оплаты',
    body: 'Оплатить заказ можно картой на сайте, через СБП или наличными курьеру. Юрлицам выставляем счёт.',
  },
  {
    locale: 'en',
    category: 'Delivery',
    title: 'Delivery times and prices',
    body: 'Moscow in 1–2 days, the rest of Russia in 3–7 days.\n\n- Courier in Moscow: 300 ₽, free over 5,000 ₽.\n- Pick-up points: 200 ₽.\n\nThe tracking number is e-mailed on the day the order ships.',
  },
  {
    locale: 'en',
    category: 'Returns',
    title: 'How to return an item',
    body: 'Items in their original packaging can be returned within 14 days with the receipt.\n\n1. Send us the order number in the chat.\n2. Drop the item at a pick-up point.\n3. The money is back on your card in 3–10 days.',
  },
];

/** Creates the demo workspace, an admin and an operator with random passwords; undefined if any workspace exists. */
export async function seedDemo(
  app: Pick<FrontlineApp, 'services' | 'nlu'>,
  dataDir: string,
): Promise<DemoLogins | undefined> {
  const { services } = app;
  if ((await services.workspaces.countWorkspaces()) > 0) return undefined;
  const workspace = await services.workspaces.create({ name: 'Демо-магазин', defaultLocale: 'ru' });
  const admin = { email: 'admin@demo.frontline', password: randomPassword() };
  const operator = { email: 'operator@demo.frontline', password: randomPassword() };
  await services.operators.create(workspace.id, {
    ...admin,
    name: 'Администратор',
    role: 'admin',
    locale: 'ru',
  });
  await services.operators.create(workspace.id, {
    ...operator,
    name: 'Анна',
    role: 'operator',
    locale: 'ru',
  });
  for (const article of DEMO_ARTICLES) await app.nlu.knowledge.create(workspace.id, null, article);
  const logins = { admin, operator, widgetKey: workspace.widget_key };
  writeFileSync(
    path.join(dataDir, DEMO_LOGINS_FILE),
    `admin    ${admin.email}  ${admin.password}\noperator ${operator.email}  ${operator.password}\nwidget key ${workspace.widget_key}\n`,
    { mode: 0o600 },
  );
  return logins;
}

function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}

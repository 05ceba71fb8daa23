// The demo workspace a first start creates, so a newcomer can log in and chat at once.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Services } from '../app.js';

export interface DemoLogins {
  admin: { email: string; password: string };
  operator: { email: string; password: string };
  widgetKey: string;
}

export const DEMO_LOGINS_FILE = 'demo-logins.txt';

/** Creates the demo workspace, an admin and an operator with random passwords; undefined if any workspace exists. */
export async function seedDemo(services: Services, dataDir: string): Promise<DemoLogins | undefined> {
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

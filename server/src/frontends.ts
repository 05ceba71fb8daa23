// Serves the built front ends on the API's port: the operator workspace (a single-page app), the
// widget frame and loader, and a demo shop page that embeds the widget.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from './http.js';
import { allowedOriginsOf, type WorkspaceService } from './modules/workspaces/service.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const WEB_DIST = path.join(REPO_ROOT, 'web/dist');
const WIDGET_DIST = path.join(REPO_ROOT, 'widget/dist');

export async function registerFrontends(
  app: HttpApp,
  workspaces: WorkspaceService,
  demoWidgetKey: () => Promise<string | undefined>,
): Promise<void> {
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/',
    wildcard: false,
    index: false,
    serve: existsSync(WEB_DIST),
  });
  await app.register(fastifyStatic, {
    root: WIDGET_DIST,
    prefix: '/widget/',
    decorateReply: false,
    serve: existsSync(WIDGET_DIST),
    index: false,
  });

  // The frame may only be embedded by the sites the workspace allows (all, while the list is empty).
  app.get(
    '/widget/frame.html',
    { schema: { hide: true, querystring: z.object({ key: z.string().max(100) }).loose() } },
    async (request, reply) => {
      const workspace = await workspaces.findByWidgetKey(request.query.key);
      const allowed = allowedOriginsOf(workspace);
      return sendBuilt(reply, path.join(WIDGET_DIST, 'frame.html'), 'widget', {
        'content-security-policy': `frame-ancestors ${allowed.length ? `'self' ${allowed.join(' ')}` : '*'}`,
      });
    },
  );

  app.get('/widget.js', { schema: { hide: true } }, (_request, reply) =>
    sendBuilt(reply, path.join(WIDGET_DIST, 'loader.js'), 'widget', {
      'cache-control': 'public, max-age=300',
    }),
  );

  app.get('/demo', { schema: { hide: true } }, async (_request, reply) => {
    const key = await demoWidgetKey();
    if (!key)
      return reply
        .code(404)
        .type('text/plain')
        .send('No workspace exists yet: start the server once with SEED_DEMO=true');
    return reply.type('text/html; charset=utf-8').send(demoPage(key));
  });

  // Any other non-API GET is a route of the workspace app.
  app.setNotFoundHandler((request, reply) => {
    const isAppRoute =
      request.method === 'GET' &&
      !/^\/(api|files|socket\.io|widget)\//.test(request.url) &&
      !path.extname(request.url.split('?')[0] ?? '');
    if (isAppRoute) return sendBuilt(reply, path.join(WEB_DIST, 'index.html'), 'web');
    return reply.code(404).send({
      error: {
        code: 'not_found',
        message: `No endpoint ${request.method} ${request.url.split('?')[0]}; see /api/docs`,
      },
    });
  });
}

const builtFiles = new Map<string, string>();

function sendBuilt(
  reply: FastifyReply,
  file: string,
  workspaceName: string,
  headers: Record<string, string> = {},
): FastifyReply {
  let content = builtFiles.get(file);
  if (content === undefined) {
    if (!existsSync(file)) {
      return reply
        .code(503)
        .type('text/plain')
        .send(`The ${workspaceName} front end is not built; run "npm run build" first`);
    }
    content = readFileSync(file, 'utf8');
    builtFiles.set(file, content);
  }
  return reply
    .headers(headers)
    .type(file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8')
    .send(content);
}

function demoPage(widgetKey: string): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Демо-магазин · Frontline</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1f2933; background: #f5f7fa; }
  header { background: #243b53; color: #fff; padding: 24px 40px; }
  main { max-width: 880px; margin: 32px auto; padding: 0 24px; }
  .goods { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
  .item { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
</style>
</head>
<body>
<header><h1>Демо-магазин</h1><p>Так виджет Frontline выглядит на сайте клиента: нажмите на кнопку чата в углу. / This is how the Frontline widget looks on a customer's site: click the chat button in the corner.</p></header>
<main>
  <div class="goods">
    <div class="item"><h2>Чайник</h2><p>2 490 ₽</p></div>
    <div class="item"><h2>Кофемолка</h2><p>3 990 ₽</p></div>
    <div class="item"><h2>Тостер</h2><p>1 790 ₽</p></div>
  </div>
</main>
<script src="/widget.js" data-key="${widgetKey}" async></script>
</body>
</html>`;
}

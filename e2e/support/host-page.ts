// A customer's site for browser tests: a small HTTP server on another port (another origin than
// Frontline's, as on a real site) whose pages embed the widget with the documented snippet.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';

/** The snippet of docs/widget.md: a stub that queues calls made before the loader ran, then the loader. */
export function snippet(serverUrl: string, widgetKey: string, attributes = ''): string {
  return `<script>window.Frontline||(function(){var q=[],f={q:q};["open","close","toggle","identify","setAttributes","setLanguage","on","off"].forEach(function(m){f[m]=function(){q.push([m,[].slice.call(arguments)])}});window.Frontline=f})();</script>
<script src="${serverUrl}/widget.js" data-key="${widgetKey}" ${attributes} async></script>`;
}

export interface HostPage {
  lang?: string;
  title?: string;
  /** Extra attributes of the loader's script tag (data-lang). */
  attributes?: string;
  head?: string;
  /** Before the snippet. */
  body?: string;
}

export interface HostSite {
  url: string;
  /** What `path` serves from now on; other paths serve a plain page. */
  page(path: string, page: HostPage): void;
  close(): Promise<void>;
}

export async function startHostSite(serverUrl: string, widgetKey: string): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const page = pages.get(path) ?? {};
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="${page.lang ?? 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${page.title ?? 'Shop'}</title>${page.head ?? ''}</head>
<body><h1>Shop</h1>${page.body ?? ''}${snippet(serverUrl, widgetKey, page.attributes)}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    page: (path, page) => pages.set(path, page),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function openHostPage(context: BrowserContext, site: HostSite, path = '/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${site.url}${path}`);
  await page.getByTestId('frontline-launcher').waitFor();
  return page;
}

export const widgetFrame = (page: Page) => page.frameLocator('iframe[src*="/widget/frame.html"]');

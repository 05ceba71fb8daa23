// The loader site owners paste: finds its own <script data-key>, adds the launcher button, the
// invitation bubble and the widget's iframe, and exposes window.Frontline (docs/widget.md).
// Everything it adds lives in a shadow root whose host carries `all: initial` inline, so the
// page's CSS (even `!important` rules) cannot restyle or hide it, and ours cannot leak into the
// page. The chat itself runs in the iframe, on Frontline's origin, out of the page's reach; this
// file stays tiny (budget 5 KB gzipped) because every site loads it.
import {
  isFrameMessage,
  type AttributesInput,
  type FrameToLoader,
  type HostEvents,
  type IdentityInput,
  type LauncherLook,
  type LoaderToFrame,
} from '../bridge.js';
import { pickLang, type Lang } from '../locale.js';

type EventName = keyof HostEvents;
type Handler<E extends EventName> = (data: HostEvents[E]) => void;

interface FrontlineApi {
  open(): void;
  close(): void;
  toggle(): void;
  /** Resolves when the server accepted the identity; rejects with its reason (e.g. a forged signature). */
  identify(identity: IdentityInput): Promise<void>;
  setAttributes(attributes: AttributesInput): Promise<void>;
  setLanguage(lang: Lang): void;
  on<E extends EventName>(event: E, handler: Handler<E>): void;
  off<E extends EventName>(event: E, handler: Handler<E>): void;
}

/** The snippet's stub: calls made before this script ran, as [method, args]. */
interface QueuedCalls {
  q?: [keyof FrontlineApi, unknown[]][];
}

declare global {
  interface Window {
    Frontline?: FrontlineApi & QueuedCalls;
  }
}

const LABELS: Record<Lang, { open: string; close: string; unread: string; frame: string; dismiss: string }> =
  {
    ru: {
      open: 'Открыть чат',
      close: 'Свернуть чат',
      unread: 'новых сообщений: {n}',
      frame: 'Чат с поддержкой',
      dismiss: 'Скрыть приглашение',
    },
    en: {
      open: 'Open chat',
      close: 'Minimise chat',
      unread: 'new messages: {n}',
      frame: 'Chat with support',
      dismiss: 'Dismiss the invitation',
    },
  };

const CHAT_ICON = '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>';
const CLOSE_ICON = '<path d="M18 6 6 18M6 6l12 12"/>';

// z-index is the highest browsers honour, so the chat sits above the page's own overlays. The
// launcher shows once the frame says it is ready: a site the workspace does not allow (the frame's
// CSP refuses to load there) or an unreachable server gets no dead button. Under 480px the open
// chat takes the whole screen and the launcher steps aside (the frame has its own close button).
// `dvh` follows a phone's collapsing address bar; `vh` is the fallback for browsers without it.
const STYLES = `
.box{position:fixed;z-index:2147483646;right:20px;bottom:90px;width:380px;height:min(640px,calc(100vh - 110px));height:min(640px,calc(100dvh - 110px));border-radius:14px;overflow:hidden;box-shadow:0 8px 32px rgba(15,23,42,.25);background:#fff;display:none}
.open .box{display:block}
iframe{border:0;width:100%;height:100%;display:block}
.launch{position:fixed;z-index:2147483647;right:20px;bottom:20px;min-width:56px;height:56px;border-radius:28px;border:0;margin:0;padding:0 14px;gap:8px;background:var(--c);color:var(--t);cursor:pointer;display:none;align-items:center;justify-content:center;box-shadow:0 4px 16px rgba(15,23,42,.3);font:600 15px/1 system-ui,sans-serif}
.ready .launch{display:flex}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
svg{width:28px;height:28px;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:bold 12px/20px system-ui,sans-serif;text-align:center}
.badge:empty,.open .badge{display:none}
.invite{position:fixed;z-index:2147483647;right:20px;bottom:90px;max-width:300px;display:none;align-items:flex-start;gap:8px;padding:12px;border-radius:14px;background:#fff;color:#0f172a;box-shadow:0 8px 32px rgba(15,23,42,.25);font:14px/1.4 system-ui,sans-serif}
.inviting .invite{display:flex}.open .invite{display:none}
.invite img{width:32px;height:32px;border-radius:50%;object-fit:cover}
.invite .text{all:unset;cursor:pointer;white-space:pre-wrap}.invite b{display:block;font-size:12px}
.invite .x{all:unset;cursor:pointer;font-size:18px;line-height:1;padding:0 4px;color:#64748b}
.left .box,.left .launch,.left .invite{right:auto;left:20px}.left .badge{right:auto;left:-2px}
@media (max-width:480px){.box{inset:0;width:auto;height:auto;border-radius:0}.open .launch{display:none}}
`;

const script =
  document.currentScript instanceof HTMLScriptElement
    ? document.currentScript
    : Array.from(document.scripts).find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));

// A second copy of the script finds the API in place and stays out; the snippet's stub has a queue.
if (script && (!window.Frontline || window.Frontline.q)) start(script, window.Frontline?.q ?? []);

/** A visit starts with the first page of a browser session: its start time, UTM tags and count. */
function visitInfo(): { started: string; utm: string; visits: string } {
  const utm = new URLSearchParams(
    [...new URLSearchParams(location.search)].filter(([name]) => name.startsWith('utm_')),
  ).toString();
  const fresh = { started: String(Date.now()), utm, visits: '1' };
  try {
    const stored = sessionStorage.getItem('frontline:visit');
    if (stored) return JSON.parse(stored) as typeof fresh;
    fresh.visits = String(Number(localStorage.getItem('frontline:visits') ?? 0) + 1);
    localStorage.setItem('frontline:visits', fresh.visits);
    sessionStorage.setItem('frontline:visit', JSON.stringify(fresh));
  } catch {
    // Storage blocked: every page counts as the visit's first.
  }
  return fresh;
}

function start(tag: HTMLScriptElement, queued: NonNullable<QueuedCalls['q']>): void {
  const frontline = new URL(tag.src, location.href).origin;
  const forced = pickLang([tag.dataset.lang]);
  let lang: Lang = forced ?? pickLang([document.documentElement.lang, navigator.language]) ?? 'ru';
  const query = new URLSearchParams({
    key: tag.dataset.key ?? '',
    host: location.origin,
    lang,
    ...(forced ? { forceLang: forced } : {}),
    page: location.href,
    title: document.title,
    ref: document.referrer,
    ...visitInfo(),
  });

  const host = document.createElement('div');
  host.style.cssText = 'all:initial!important';
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${STYLES}</style><div><div class="box" id="frontline-chat"><iframe allow="autoplay"></iframe></div><div class="invite" role="status"></div><button type="button" class="launch" data-testid="frontline-launcher" aria-controls="frontline-chat"></button></div>`;
  const container = root.querySelector('div') as HTMLDivElement;
  const frame = root.querySelector('iframe') as HTMLIFrameElement;
  const invite = root.querySelector('.invite') as HTMLDivElement;
  const button = root.querySelector('.launch') as HTMLButtonElement;
  frame.src = `${frontline}/widget/frame.html?${query}`;

  let ready = false;
  let open = false;
  let unread = 0;
  let look: LauncherLook | null = null;
  let inviting = false;
  let requests = 0;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const waiting: LoaderToFrame[] = [];
  const handlers = new Map<EventName, Set<(data: HostEvents[EventName]) => void>>();

  const emit = <E extends EventName>(event: E, data: HostEvents[E]) =>
    handlers.get(event)?.forEach((handler) => {
      try {
        handler(data);
      } catch (error) {
        // The page's handler failed: report it without breaking the widget.
        setTimeout(() => {
          throw error;
        });
      }
    });
  // Posts before the frame listens would be lost: they wait for its ready.
  const post = (message: LoaderToFrame) => {
    if (ready) frame.contentWindow?.postMessage(message, frontline);
    else waiting.push(message);
  };

  const render = () => {
    const labels = LABELS[lang];
    const label = open ? labels.close : labels.open;
    container.className = `${ready ? 'ready' : ''} ${open ? 'open' : ''} ${inviting ? 'inviting' : ''} ${look?.position ?? ''}`;
    if (look) container.style.cssText = `--c:${look.color};--t:${look.textColor}`;
    frame.title = labels.frame;
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute(
      'aria-label',
      unread && !open ? `${label}, ${labels.unread.replace('{n}', String(unread))}` : label,
    );
    const text = !open && look?.text ? `<span>${escape(look.text)}</span>` : '';
    button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true">${open ? CLOSE_ICON : CHAT_ICON}</svg>${text}<span class="badge" aria-hidden="true">${unread || ''}</span>`;
  };

  const setOpen = (value: boolean) => {
    if (value === open) return;
    open = value;
    render();
    post({ type: open ? 'frontline:open' : 'frontline:close' });
    emit(open ? 'open' : 'close', {});
    // Focus follows the chat: into it when opened, back to the launcher when folded.
    if (open) frame.focus();
    else button.focus();
  };

  const request = (message: (requestId: number) => LoaderToFrame) =>
    new Promise<void>((resolve, reject) => {
      requests += 1;
      pending.set(requests, { resolve, reject });
      post(message(requests));
    });

  const showInvitation = (invitation: Extract<FrameToLoader, { type: 'frontline:invite' }>['invitation']) => {
    inviting = invitation !== null && !open;
    invite.innerHTML = invitation
      ? `${invitation.avatarUrl ? `<img alt="" src="${escape(frontline + invitation.avatarUrl)}">` : ''}<button type="button" class="text" data-testid="frontline-invitation"><b>${escape(invitation.author)}</b>${escape(invitation.text)}</button><button type="button" class="x" aria-label="${LABELS[lang].dismiss}">×</button>`
      : '';
    render();
  };

  button.addEventListener('click', () => setOpen(!open));
  invite.addEventListener('click', (event) => {
    const dismissed = (event.target as Element).closest('.x');
    showInvitation(null);
    if (dismissed) post({ type: 'frontline:invitation-closed' });
    else setOpen(true);
  });

  window.addEventListener('message', (event) => {
    if (event.origin !== frontline || event.source !== frame.contentWindow || !isFrameMessage(event.data))
      return;
    const message = event.data;
    switch (message.type) {
      case 'frontline:ready': {
        const first = !ready;
        ready = true;
        lang = message.lang;
        look = message.look;
        // Anything posted before the frame loaded waited: tell it where things stand, then send it.
        frame.contentWindow?.postMessage({ type: open ? 'frontline:open' : 'frontline:close' }, frontline);
        waiting.splice(0).forEach(post);
        render();
        if (first) emit('ready', { lang });
        break;
      }
      case 'frontline:unread':
        unread = message.count;
        render();
        break;
      case 'frontline:request-close':
        setOpen(false);
        break;
      case 'frontline:request-open':
        setOpen(true);
        break;
      case 'frontline:invite':
        showInvitation(message.invitation);
        break;
      case 'frontline:message':
        emit('message', message.message);
        break;
      case 'frontline:result': {
        const answer = pending.get(message.requestId);
        pending.delete(message.requestId);
        if (message.error === null) answer?.resolve();
        else answer?.reject(new Error(message.error));
      }
    }
  });

  // Single-page sites change the URL without a reload: the frame reports the page trail.
  let lastUrl = location.href;
  let lastTitle = document.title;
  setInterval(() => {
    if (location.href === lastUrl && document.title === lastTitle) return;
    lastUrl = location.href;
    lastTitle = document.title;
    post({ type: 'frontline:page', url: lastUrl, title: lastTitle });
  }, 1000);

  // The pointer leaving through the top edge heads for the tabs or the address bar.
  document.addEventListener('mouseout', (event) => {
    if (!event.relatedTarget && event.clientY <= 0) post({ type: 'frontline:exit-intent' });
  });

  const api: FrontlineApi = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
    identify: (identity) => request((requestId) => ({ type: 'frontline:identify', requestId, identity })),
    setAttributes: (attributes) =>
      request((requestId) => ({ type: 'frontline:attributes', requestId, attributes })),
    setLanguage: (value) => {
      const chosen = pickLang([value]);
      if (chosen) post({ type: 'frontline:lang', lang: chosen });
    },
    on: (event, handler) => {
      const set = handlers.get(event) ?? new Set();
      set.add(handler as (data: HostEvents[EventName]) => void);
      handlers.set(event, set);
      // Listening for ready after it happened still hears it.
      if (event === 'ready' && ready) (handler as Handler<'ready'>)({ lang });
    },
    off: (event, handler) => {
      handlers.get(event)?.delete(handler as (data: HostEvents[EventName]) => void);
    },
  };

  render();
  window.Frontline = api;
  // Calls the page made through the snippet's stub before this script ran.
  for (const [method, args] of queued) {
    const result = (api[method] as (...a: unknown[]) => unknown)(...args);
    // Nobody awaits a queued call: say why it failed rather than leave an unhandled rejection.
    if (result instanceof Promise)
      result.catch((error: Error) => console.warn(`Frontline.${method}:`, error.message));
  }
  // An async script can run before <body> exists when pasted into <head>.
  if (document.body) document.body.append(host);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(host));
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

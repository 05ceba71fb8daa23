// Entry of the widget frame: reads what the loader put in the URL and mounts the chat.
import { render } from 'preact';
import { pickLang } from '../locale.js';
import { App } from './App.js';
import { WidgetChat } from './chat.js';
import { postToLoader } from './loader-bridge.js';
import { visitOf, visitorMetadata } from './metadata.js';
import { unlockAudioOnFirstGesture } from './sound.js';
import './styles.css';

const params = new URLSearchParams(location.search);
const hostOrigin = params.get('host') ?? '';
const visit = visitOf({
  started: params.get('started'),
  visits: params.get('visits'),
  utm: params.get('utm'),
});
const widgetKey = params.get('key') ?? '';
const chat = new WidgetChat({
  widgetKey,
  hostOrigin,
  lang: {
    forced: pickLang([params.get('forceLang')]),
    page: pickLang([params.get('lang'), navigator.language]),
  },
  metadata: {
    ...visitorMetadata({
      pageUrl: params.get('page'),
      pageTitle: params.get('title'),
      referrer: params.get('ref'),
      language: navigator.language,
      userAgent: navigator.userAgent,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    }),
    ...visit,
  },
  visits: visit.visits ?? 1,
  post: (message) => postToLoader(hostOrigin, message),
});
void chat.start();
unlockAudioOnFirstGesture();

const root = document.getElementById('app');
if (root) render(<App chat={chat} hostOrigin={hostOrigin} widgetKey={widgetKey} />, root);

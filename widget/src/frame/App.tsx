// The widget's one screen: header, status, then the offline form, the pre-chat form or the chat
// (message log, rating, queue and typing lines, composer). Talks to the loader for open/close,
// the unread badge, the page trail, invitations and the host page's API calls.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { LoaderToFrame } from '../bridge.js';
import { placeInLine, type ChatState, type Outcome, type WidgetChat } from './chat.js';
import { textColorOn } from './colors.js';
import { Composer } from './components/Composer.js';
import { Header } from './components/Header.js';
import { HelpPanel } from './components/HelpPanel.js';
import { MessageLog } from './components/MessageLog.js';
import { OfflineForm } from './components/OfflineForm.js';
import { PreChatForm } from './components/PreChatForm.js';
import { QueueLine } from './components/QueueLine.js';
import { RatingCard } from './components/RatingCard.js';
import { StatusBanner } from './components/StatusBanner.js';
import { TypingLine } from './components/TypingLine.js';
import { unreadCount } from './delivery/read-state.js';
import { I18n, translator, type Translate } from './i18n.js';
import { isEmbedded, postToLoader, useLoaderMessages } from './loader-bridge.js';

interface Props {
  chat: WidgetChat;
  hostOrigin: string;
  widgetKey: string;
}

type Tab = 'chat' | 'help';

const DEFAULT_COLOR = '#2563eb';

export function App({ chat, hostOrigin, widgetKey }: Props) {
  const [state, setState] = useState<ChatState | null>(null);
  // Opened on its own (not in a site), the frame is the whole page and always open.
  const [open, setOpen] = useState(!isEmbedded);
  const [tab, setTab] = useState<Tab>('chat');
  const visible = usePageVisible();

  useEffect(() => chat.subscribe(setState), [chat]);
  useEffect(() => chat.setOpen(open), [chat, open]);

  const answer = useCallback(
    (requestId: number, outcome: Promise<Outcome>) =>
      void outcome.then((error) => postToLoader(hostOrigin, { type: 'frontline:result', requestId, error })),
    [hostOrigin],
  );
  const onLoaderMessage = useCallback(
    (message: LoaderToFrame) => {
      switch (message.type) {
        case 'frontline:page':
          return chat.reportPage(message.url, message.title);
        case 'frontline:open':
        case 'frontline:close':
          return setOpen(message.type === 'frontline:open');
        case 'frontline:exit-intent':
          return chat.exitIntent();
        case 'frontline:invitation-closed':
          return chat.dismissInvitation();
        case 'frontline:lang':
          return chat.setLang(message.lang);
        case 'frontline:identify':
          return answer(message.requestId, chat.identify(message.identity));
        case 'frontline:attributes':
          return answer(message.requestId, chat.setAttributes(message.attributes));
      }
    },
    [chat, answer],
  );
  useLoaderMessages(hostOrigin, onLoaderMessage);

  const lang = state?.lang;
  const phase = state?.phase;
  const appearance = state?.config?.appearance;
  const color = appearance?.color ?? DEFAULT_COLOR;
  const launcherText = appearance && lang ? appearance.launcherText[lang] : '';
  useEffect(() => {
    if (!lang || phase === 'loading') return;
    document.documentElement.lang = lang;
    // A widget that failed to load still gets its launcher: the visitor sees why and can retry.
    postToLoader(hostOrigin, {
      type: 'frontline:ready',
      lang,
      look: {
        color,
        textColor: textColorOn(color),
        position: appearance?.position ?? 'right',
        text: launcherText,
      },
    });
  }, [lang, phase, color, appearance?.position, launcherText, hostOrigin]);

  const unread =
    state && !open ? unreadCount(state.stream.messages, state.conversation?.visitorLastReadSeq ?? 0) : 0;
  useEffect(
    () => postToLoader(hostOrigin, { type: 'frontline:unread', count: unread }),
    [unread, hostOrigin],
  );

  useEffect(() => {
    if (open && visible) chat.markRead();
  }, [chat, open, visible, state?.stream, state?.connection]);

  const i18n = useMemo(() => (lang ? { lang, t: translator(lang) } : null), [lang]);
  if (!state || !i18n) return null;

  const requestClose = () => postToLoader(hostOrigin, { type: 'frontline:request-close' });
  return (
    <I18n.Provider value={i18n}>
      <div
        class="widget"
        role="region"
        aria-label={i18n.t('title')}
        style={{ '--brand': color, '--on-brand': textColorOn(color) }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && isEmbedded) requestClose();
        }}
      >
        <Header
          state={state}
          onClose={isEmbedded ? requestClose : null}
          onToggleMute={() => chat.toggleMute()}
        />
        <Tabs tab={tab} onChoose={setTab} t={i18n.t} />
        {tab === 'help' ? (
          <div role="tabpanel" id="panel-help" aria-labelledby="tab-help" class="panel">
            <HelpPanel widgetKey={widgetKey} onAskChat={() => setTab('chat')} />
          </div>
        ) : (
          <div role="tabpanel" id="panel-chat" aria-labelledby="tab-chat" class="panel">
            <StatusBanner state={state} onReload={() => void chat.start()} />
            <Body chat={chat} state={state} open={open} t={i18n.t} />
          </div>
        )}
      </div>
    </I18n.Provider>
  );
}

function Body({ chat, state, open, t }: { chat: WidgetChat; state: ChatState; open: boolean; t: Translate }) {
  const { config, conversation, outbox, phase } = state;
  const fresh = phase === 'ready' && !conversation && outbox.length === 0;
  if (config && fresh && config.offline.enabled && !config.operatorsOnline)
    return (
      <OfflineForm
        config={config}
        contact={state.contact}
        onSubmit={(request) => chat.submitOffline(request)}
      />
    );
  if (config && fresh && config.preChat.enabled && !state.preChatDone)
    return <PreChatForm form={config.preChat} onSubmit={(values) => chat.submitPreChat(values)} />;

  const rating = state.rating;
  const queue = placeInLine(state);
  const asksRating =
    conversation?.status === 'resolved' && rating !== null && rating.resolvedAt === conversation.resolvedAt;
  return (
    <>
      <MessageLog
        state={state}
        open={open}
        onLoadOlder={() => void chat.loadOlder()}
        onRetry={(id) => chat.retry(id)}
        onDiscard={(id) => chat.discard(id)}
        onAnswer={(message, button) => chat.answer(message, button)}
      />
      {asksRating && (
        <RatingCard rated={rating.value} onRate={(value, comment) => chat.rate(value, comment)} />
      )}
      {conversation?.status === 'offline' && (
        <p class="notice" role="status" data-testid="widget-offline-notice">
          {state.contact?.email && config?.offline.emailReplies
            ? t('offlineSentEmail', { email: state.contact.email })
            : t('offlineSent')}
        </p>
      )}
      {queue && <QueueLine notice={queue} />}
      {state.operatorTyping !== null && <TypingLine name={state.operatorTyping} />}
      <Composer
        disabled={phase !== 'ready' || state.connection === 'refused'}
        focused={open}
        uploads={state.uploads}
        onSend={(text) => chat.send(text)}
        onTyping={(typing) => chat.setTyping(typing)}
        onAttach={(files) => chat.attach(files)}
        onRemoveUpload={(id) => chat.removeUpload(id)}
      />
    </>
  );
}

function Tabs({ tab, onChoose, t }: { tab: Tab; onChoose: (tab: Tab) => void; t: Translate }) {
  const tabs: [Tab, 'chatTab' | 'helpTab'][] = [
    ['chat', 'chatTab'],
    ['help', 'helpTab'],
  ];
  return (
    <div class="tabs" role="tablist">
      {tabs.map(([name, label]) => (
        <button
          key={name}
          type="button"
          role="tab"
          id={`tab-${name}`}
          aria-controls={`panel-${name}`}
          aria-selected={tab === name}
          data-testid={`widget-tab-${name}`}
          onClick={() => onChoose(name)}
        >
          {t(label)}
        </button>
      ))}
    </div>
  );
}

/** Read marks only count what the visitor could see: not while the tab is in the background. */
function usePageVisible(): boolean {
  const [visible, setVisible] = useState(document.visibilityState === 'visible');
  useEffect(() => {
    const listener = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  }, []);
  return visible;
}

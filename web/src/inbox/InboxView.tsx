// The operator's inbox: queues and conversations, the open conversation and the visitor panel.
// Wide windows show all three columns; narrower ones fold the visitor panel into a drawer, and a
// phone-size window shows either the list or the conversation. The open conversation is in the
// address (?c=), so a reload or a shared link opens it again.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Conversation, Session } from '@frontline/protocol';
import { keys } from '../api/keys.js';
import { ChatView } from '../components/ChatView.js';
import { ConversationList } from '../components/ConversationList.js';
import { VisitorPanel } from '../components/VisitorPanel.js';
import { useNewConversationAlerts } from './notifications.js';
import { ShortcutsHelp } from './ShortcutsHelp.js';
import { useInboxShortcuts } from './shortcuts.js';

const CONVERSATION_PARAM = 'c';

export function InboxView({ session }: { session: Session }) {
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selected = params.get(CONVERSATION_PARAM);
  const [visitorOpen, setVisitorOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const me = session.user.id;
  useNewConversationAlerts(me);

  const setSelected = useCallback(
    (id: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (id) next.set(CONVERSATION_PARAM, id);
          else next.delete(CONVERSATION_PARAM);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const select = useCallback(
    (conversation: Conversation) => {
      // The row already holds the conversation: the chat header shows at once, without a fetch.
      if (!queries.getQueryData(keys.conversation(conversation.id)))
        queries.setQueryData(keys.conversation(conversation.id), conversation);
      setSelected(conversation.id);
    },
    [queries, setSelected],
  );
  const back = useCallback(() => {
    const row = selected;
    setSelected(null);
    setVisitorOpen(false);
    // Back on the list, the keyboard continues from the conversation it left.
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-conversation-id="${row}"]`)?.focus(),
    );
  }, [selected, setSelected]);
  const closeVisitor = useCallback(() => {
    setVisitorOpen(false);
    // The focus goes back to the button that opened the drawer.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.visitor-toggle')?.focus());
  }, []);
  useInboxShortcuts({ onHelp: () => setHelpOpen(true) });

  const layout = ['inbox', selected ? 'has-selection' : '', visitorOpen ? 'visitor-open' : ''].join(' ');
  return (
    <div className={layout}>
      <ConversationList me={me} selected={selected} onSelect={select} />
      <ChatView
        key={selected ?? 'none'}
        conversationId={selected}
        session={session}
        onBack={back}
        visitorOpen={visitorOpen}
        onToggleVisitor={() => setVisitorOpen((open) => !open)}
      />
      <VisitorPanel conversationId={selected} open={visitorOpen} onClose={closeVisitor} onSelect={select} />
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  );
}

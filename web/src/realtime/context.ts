// The workspace's one realtime connection, handed to components through React context, and hooks
// that read its client state (connection, outbox, typists) without copying it into React state.
import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type { OperatorRealtime } from './operator-realtime.js';
import { pendingIn, type OutgoingMessage } from './outbox.js';
import type { Store } from './store.js';
import { typistsIn, type Typist } from './typing.js';

export const RealtimeContext = createContext<OperatorRealtime | null>(null);

export function useRealtime(): OperatorRealtime {
  const realtime = useContext(RealtimeContext);
  if (!realtime) throw new Error('useRealtime is for components inside the workspace');
  return realtime;
}

function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

export function useConnection() {
  return useStore(useRealtime().connection);
}

export function usePendingMessages(conversationId: string): OutgoingMessage[] {
  const outbox = useStore(useRealtime().outbox);
  return useMemo(() => pendingIn(outbox, conversationId), [outbox, conversationId]);
}

export function useTypists(conversationId: string): Typist[] {
  const board = useStore(useRealtime().typists);
  return useMemo(() => typistsIn(board, conversationId), [board, conversationId]);
}

// What this tab knows about conversations' moods: the supervisors' hot list, loaded once, kept
// current by the socket's `conversation:insight` notices (operators get the notices only).
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { ConversationInsight } from '@frontline/protocol';
import { ApiError } from '../api/http.js';
import { fetchHot, nluKeys } from './api.js';

export type Insights = Record<string, ConversationInsight>;

async function loadInsights(): Promise<Insights> {
  try {
    return Object.fromEntries((await fetchHot()).map((insight) => [insight.conversationId, insight]));
  } catch (error) {
    // Operators may not read the hot list; they still hear live notices.
    if (error instanceof ApiError && error.code === 'forbidden') return {};
    throw error;
  }
}

export function useInsights(): Insights {
  return useQuery({ queryKey: nluKeys.insights, queryFn: loadInsights, staleTime: Infinity }).data ?? {};
}

/** The socket's notice: one conversation's insight replaces what the tab had. */
export function applyInsight(queries: QueryClient, insight: ConversationInsight): void {
  queries.setQueryData<Insights>(nluKeys.insights, (current) => ({
    ...current,
    [insight.conversationId]: insight,
  }));
}

/** Upset conversations, most recently upset first. */
export function upsetOnes(insights: Insights): ConversationInsight[] {
  return Object.values(insights)
    .filter((insight) => insight.upsetAt !== null)
    .sort((a, b) => (b.upsetAt ?? 0) - (a.upsetAt ?? 0));
}

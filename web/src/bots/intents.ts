// The workspace's intents as the flow builder shows them: classify nodes branch on their ids and
// show their names.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { fetchIntents, nluKeys } from '../nlu/api.js';

export function useIntents() {
  return useQuery({ queryKey: nluKeys.intents, queryFn: fetchIntents });
}

export function useIntentNames(): ReadonlyMap<string, string> {
  const intents = useIntents();
  return useMemo(() => new Map((intents.data ?? []).map((i) => [i.id, i.name])), [intents.data]);
}

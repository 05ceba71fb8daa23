// The operator's own status: routing offers conversations only to those online. Routing may set
// an operator away after missed offers; the socket tells us (operator:presence) and this follows.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Presence } from '@frontline/protocol';
import { fetchPresence, savePresence } from '../api/endpoints.js';
import { keys } from '../api/keys.js';

/**
 * The protocol's PRESENCES sit beside zod schemas, and importing them would ship zod to the
 * browser; a Record over the Presence type fails to compile if a presence is added or dropped.
 */
const PRESENCE_LABELS: Record<Presence, string> = {
  online: 'header.online',
  away: 'header.away',
  offline: 'header.offline',
};
const PRESENCE_CHOICES = Object.keys(PRESENCE_LABELS) as Presence[];

export function PresenceSelect() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const presence = useQuery({ queryKey: keys.presence, queryFn: fetchPresence, staleTime: Infinity });
  const change = useMutation({
    mutationFn: savePresence,
    onSuccess: (load) => queries.setQueryData(keys.presence, load.presence),
  });
  const value = presence.data ?? 'offline';
  return (
    <>
      <label className="visually-hidden" htmlFor="presence">
        {t('header.presence')}
      </label>
      <select
        id="presence"
        className={`presence presence-${value}`}
        value={value}
        disabled={change.isPending}
        onChange={(e) => {
          const next = PRESENCE_CHOICES.find((p) => p === e.target.value);
          if (next) change.mutate(next);
        }}
      >
        {PRESENCE_CHOICES.map((p) => (
          <option key={p} value={p}>
            {t(PRESENCE_LABELS[p])}
          </option>
        ))}
      </select>
    </>
  );
}

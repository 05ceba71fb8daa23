// The supervisor's live view: every queue (waiting, longest wait, who can take it), every operator
// (presence, load, the conversations they hold, each reassignable to a colleague), and the waiting
// line in order with hand-assignment. Refreshed on every conversation or presence change heard on
// the socket, and every few seconds besides.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Conversation, OperatorLoad } from '@frontline/protocol';
import { assignTo, fetchRoutingOverview, handOver } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { contactLabel, formatDuration, formatWhen } from '../i18n/format.js';
import { useRealtime } from '../realtime/context.js';
import { HotConversations } from '../nlu/HotConversations.js';
import { ErrorLine } from './FormParts.js';
import { IncidentGreeting } from './IncidentGreeting.js';

/** A fallback: socket events refresh the view at once. */
const REFRESH_MS = 5_000;
/** Bursts of socket events (a routing pass offers many conversations) make one refresh. */
const DEBOUNCE_MS = 300;

function useLiveOverview() {
  const queries = useQueryClient();
  const realtime = useRealtime();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => void queries.invalidateQueries({ queryKey: keys.routingOverview }),
        DEBOUNCE_MS,
      );
    };
    const offConversation = realtime.onConversation(refresh);
    const offPresence = realtime.onPresence(refresh);
    return () => {
      clearTimeout(timer);
      offConversation();
      offPresence();
    };
  }, [queries, realtime]);
  return useQuery({
    queryKey: keys.routingOverview,
    queryFn: fetchRoutingOverview,
    refetchInterval: REFRESH_MS,
  });
}

export function SupervisorView() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const overview = useLiveOverview();
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: keys.routingOverview });
  const assign = useMutation({
    mutationFn: ({ conversationId, assigneeId }: { conversationId: string; assigneeId: string }) =>
      assignTo(conversationId, assigneeId),
    onSuccess: refresh,
  });
  const reassign = useMutation({
    mutationFn: ({ conversationId, to }: { conversationId: string; to: OperatorLoad }) =>
      handOver(conversationId, to.id, ''),
    onSuccess: (_conversation, { to }) => {
      setDone(t('routing.reassigned', { name: to.name }));
      refresh();
    },
  });
  const data = overview.data;
  const error = overview.error ?? assign.error ?? reassign.error;
  const departments = new Map(data?.queues.map((q) => [q.departmentId, q.name]) ?? []);
  const heldBy = new Map<string, Conversation[]>();
  for (const conversation of data?.held ?? []) {
    if (!conversation.assigneeId) continue;
    heldBy.set(conversation.assigneeId, [...(heldBy.get(conversation.assigneeId) ?? []), conversation]);
  }
  const now = Date.now();

  return (
    <main className="supervision" aria-labelledby="supervision-title">
      <h2 id="supervision-title">{t('supervision.title')}</h2>
      <p className="muted">{t('routing.live')}</p>
      <ErrorLine error={error} />
      {done && !error && (
        <p className="muted" role="status">
          {done}
        </p>
      )}

      <IncidentGreeting />

      <section aria-labelledby="queues-title">
        <h3 id="queues-title">{t('routing.queues')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('routing.queue')}</th>
              <th scope="col">{t('routing.waiting')}</th>
              <th scope="col">{t('routing.oldest')}</th>
              <th scope="col">{t('routing.online')}</th>
              <th scope="col">{t('routing.freeSlots')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.queues.map((q) => (
              <tr key={q.departmentId ?? 'none'} data-testid="queue-load">
                <td>
                  {q.name ?? t('routing.noDepartment')}
                  {q.lineLevel !== null && (
                    <span className="muted"> · {t('routing.line', { level: q.lineLevel })}</span>
                  )}
                </td>
                <td data-testid="queue-waiting">{q.waiting}</td>
                <td>
                  {q.oldestQueuedAt === null ? '—' : formatDuration(now - q.oldestQueuedAt, i18n.language)}
                </td>
                <td>{q.online}</td>
                <td>{q.freeSlots}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <HotConversations />
      <section aria-labelledby="operators-title">
        <h3 id="operators-title">{t('supervision.operators')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('supervision.name')}</th>
              <th scope="col">{t('supervision.presence')}</th>
              <th scope="col">{t('supervision.load')}</th>
              <th scope="col">{t('supervision.missed')}</th>
              <th scope="col">{t('routing.held')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.operators.map((o) => (
              <tr key={o.id} data-testid="operator-load" data-operator={o.id}>
                <td>{o.name}</td>
                <td>
                  <span className={`badge presence-${o.presence}`}>{t(`header.${o.presence}`)}</span>
                </td>
                <td>
                  <meter
                    min={0}
                    max={Math.max(o.capacity, 1)}
                    value={o.active}
                    aria-label={t('supervision.load')}
                  />{' '}
                  <span data-testid="operator-active">
                    {o.active} / {o.capacity}
                  </span>
                </td>
                <td>{o.missedInRow}</td>
                <td>
                  {(heldBy.get(o.id) ?? []).length === 0 && (
                    <span className="muted">{t('routing.nothingHeld')}</span>
                  )}
                  <ul className="held-list">
                    {(heldBy.get(o.id) ?? []).map((c) => (
                      <li key={c.id} data-testid="held-item">
                        <span>{contactLabel(c.contact, t)}</span>
                        {c.status === 'offered' && (
                          <span className="muted"> · {t('routing.offered')}</span>
                        )}{' '}
                        <select
                          aria-label={t('routing.reassignLabel', { name: contactLabel(c.contact, t) })}
                          value=""
                          disabled={reassign.isPending}
                          onChange={(e) => {
                            const to = data.operators.find((x) => x.id === e.target.value);
                            if (to) reassign.mutate({ conversationId: c.id, to });
                          }}
                        >
                          <option value="">{t('routing.reassign')}</option>
                          {data.operators
                            .filter((x) => x.id !== o.id)
                            .map((x) => (
                              <option key={x.id} value={x.id}>
                                {x.name} ({x.active}/{x.capacity})
                              </option>
                            ))}
                        </select>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="queue-title">
        <h3 id="queue-title">
          {t('supervision.queue')} ({data?.queue.length ?? 0})
        </h3>
        {data?.queue.length === 0 && <p className="muted">{t('supervision.emptyQueue')}</p>}
        <ol className="queue-list">
          {data?.queue.map((c) => (
            <li key={c.id} data-testid="queue-item">
              <span className="queue-name">
                {contactLabel(c.contact, t)}
                <span className="muted">
                  {' '}
                  · {departments.get(c.departmentId) ?? t('routing.noDepartment')}
                </span>
              </span>
              <span className={`badge priority-${c.priority}`}>{t(`priority.${c.priority}`)}</span>
              <span className="muted">
                {t('supervision.waitingSince', { time: formatWhen(c.createdAt, i18n.language) })}
              </span>
              <span className="queue-preview">{c.lastMessagePreview ?? ''}</span>
              <label className="visually-hidden" htmlFor={`assign-${c.id}`}>
                {t('supervision.assignTo')}
              </label>
              <select
                id={`assign-${c.id}`}
                value=""
                disabled={assign.isPending}
                onChange={(e) =>
                  e.target.value && assign.mutate({ conversationId: c.id, assigneeId: e.target.value })
                }
              >
                <option value="">{t('supervision.assignTo')}</option>
                {data.operators.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} ({o.active}/{o.capacity})
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

// Who changed what in the workspace: admin actions over HTTP and what retention did.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAudit, integrationKeys } from '../api.js';
import { ErrorLine } from '../../components/FormParts.js';

export function AuditLogAdmin() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const log = useInfiniteQuery({
    queryKey: integrationKeys.audit(q),
    queryFn: ({ pageParam }) => fetchAudit(q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <label className="form-row search-row">
        <span>{t('integrations.audit.search')}</span>
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      </label>
      <ErrorLine error={log.error} />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('integrations.audit.when')}</th>
            <th scope="col">{t('integrations.audit.who')}</th>
            <th scope="col">{t('integrations.audit.what')}</th>
            <th scope="col">{t('integrations.audit.target')}</th>
            <th scope="col">{t('integrations.audit.address')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((entry) => (
            <tr key={entry.id} data-testid="audit-entry">
              <td>{new Date(entry.createdAt).toLocaleString(i18n.language)}</td>
              <td>
                {entry.actor.name ??
                  t(`integrations.audit.actors.${entry.actor.type === 'system' ? 'system' : 'unknown'}`)}
                {entry.actor.type === 'api' && <span className="badge">API</span>}
              </td>
              <td>
                {entry.action}
                {entry.route && (
                  <div className="muted small">
                    <code>
                      {entry.method} {entry.route}
                    </code>
                  </div>
                )}
              </td>
              <td className="small">
                <code>{entry.targetId ?? '—'}</code>
              </td>
              <td className="small">{entry.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !log.isPending && <p className="muted">{t('integrations.audit.empty')}</p>}
      {log.hasNextPage && (
        <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {t('integrations.more')}
        </button>
      )}
    </>
  );
}

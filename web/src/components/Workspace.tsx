// The logged-in app: one realtime connection, the header, and one page per route: the inbox at /,
// supervision, and the admin area (web/src/admin/pages.tsx lists its pages).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import type { Session } from '@frontline/protocol';
import { fetchDepartments } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { InboxView } from '../inbox/InboxView.js';
import { RealtimeContext } from '../realtime/context.js';
import { OperatorRealtime } from '../realtime/operator-realtime.js';
import { Header } from './Header.js';
import { SupervisorView } from './SupervisorView.js';
import { UpsetAlerts } from '../nlu/UpsetAlerts.js';
import { LiveAlerts } from '../analytics/LiveAlerts.js';

// Operators never open the admin area: it loads only when someone does.
const AdminArea = lazy(() => import('../admin/AdminArea.js').then((m) => ({ default: m.AdminArea })));

export function Workspace({ session }: { session: Session }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [realtime, setRealtime] = useState<OperatorRealtime | null>(null);
  const me = session.user.id;
  const supervises = session.user.role === 'admin' || session.user.role === 'supervisor';

  useEffect(() => {
    const connection = new OperatorRealtime(queries, me);
    setRealtime(connection);
    return () => connection.close();
  }, [queries, me]);

  // The common queue is the operator's departments' queue: the live list updates need them.
  const departments = useQuery({ queryKey: keys.departments, queryFn: fetchDepartments });
  useEffect(() => {
    if (!realtime || !departments.data) return;
    realtime.setDepartments(departments.data.filter((d) => d.memberIds.includes(me)).map((d) => d.id));
  }, [realtime, departments.data, me]);

  if (!realtime) return null;
  return (
    <RealtimeContext.Provider value={realtime}>
      <div className="shell">
        <Header session={session} />
        {supervises && (
          <div className="workspace-alerts">
            <UpsetAlerts />
            <LiveAlerts />
          </div>
        )}
        <Routes>
          <Route path="/supervision" element={<SupervisorView />} />
          <Route
            path="/admin/*"
            element={
              <Suspense fallback={<p className="splash">{t('loading')}</p>}>
                <AdminArea session={session} />
              </Suspense>
            }
          />
          <Route path="*" element={<InboxView session={session} />} />
        </Routes>
      </div>
    </RealtimeContext.Provider>
  );
}

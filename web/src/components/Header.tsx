// Who is logged in, where (workspace), the sections (inbox, supervision, admin), the connection,
// the operator's status, desktop notifications, the interface language and logout.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { Session } from '@frontline/protocol';
import { logOut } from '../api/endpoints.js';
import { keys } from '../api/keys.js';
import { NotificationToggle } from '../inbox/NotificationToggle.js';
import { useConnection, useRealtime } from '../realtime/context.js';
import { LanguageSelect } from './LanguageSelect.js';
import { PresenceSelect } from './PresenceSelect.js';

export function Header({ session }: { session: Session }) {
  const { t } = useTranslation();
  const role = session.user.role;
  const supervises = role === 'admin' || role === 'supervisor';
  return (
    <header className="topbar">
      <strong className="brand">{t('appName')}</strong>
      <span className="workspace-name">{session.workspace.name}</span>
      <nav className="sections" aria-label={t('nav.sections')}>
        <NavLink to="/" end>
          {t('nav.inbox')}
        </NavLink>
        {supervises && <NavLink to="/supervision">{t('supervision.open')}</NavLink>}
        {supervises && <NavLink to="/admin">{t('nav.admin')}</NavLink>}
      </nav>
      <ConnectionStatus />
      <span className="spacer" />
      <PresenceSelect />
      <NotificationToggle />
      <LanguageSelect />
      <span className="me" title={session.user.email}>
        {session.user.name}
      </span>
      <LogoutButton />
    </header>
  );
}

function ConnectionStatus() {
  const { t } = useTranslation();
  const state = useConnection();
  if (state === 'online') return null;
  return (
    <span className={`connection connection-${state}`} role="status">
      {state === 'connecting' ? t('header.connecting') : t('header.connectionLost')}
    </span>
  );
}

function LogoutButton() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const realtime = useRealtime();
  const logout = useMutation({
    mutationFn: logOut,
    onSettled: () => {
      // Unsent replies are not carried over to whoever logs in next on this browser.
      for (const message of realtime.outbox.get()) realtime.discard(message.clientMsgId);
      queries.clear();
      queries.setQueryData(keys.session, null);
    },
  });
  return (
    <button type="button" className="ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
      {t('header.logout')}
    </button>
  );
}

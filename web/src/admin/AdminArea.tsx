// The admin area: a nav of the pages the user's role may open (from pages.tsx), grouped, and the
// chosen page. /admin opens the first of them.
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import type { Session } from '@frontline/protocol';
import { ADMIN_PAGES, GROUPS } from './pages.js';

export function AdminArea({ session }: { session: Session }) {
  const { t } = useTranslation();
  const allowed = ADMIN_PAGES.filter((page) => page.roles.includes(session.user.role));
  const first = allowed[0];
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={t('nav.admin')}>
        {GROUPS.map((group) => {
          const pages = allowed.filter((page) => page.group === group);
          if (pages.length === 0) return null;
          return (
            <div key={group} className="admin-group">
              <h2>{t(`admin.groups.${group}`)}</h2>
              <ul>
                {pages.map((page) => (
                  <li key={page.path}>
                    <NavLink to={`/admin/${page.path}`}>{t(page.label)}</NavLink>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <main className="admin-page">
        <Routes>
          {allowed.map((page) => (
            <Route key={page.path} path={`${page.path}/*`} element={<page.component session={session} />} />
          ))}
          <Route
            path="*"
            element={first ? <Navigate to={`/admin/${first.path}`} replace /> : <p>{t('admin.nothing')}</p>}
          />
        </Routes>
      </main>
    </div>
  );
}

import { useEffect } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation, type BaseLocationHook } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { AccountsPage } from '../pages/accounts/AccountsPage.js';
import { LogsPage } from '../pages/logs/LogsPage.js';
import { OverviewPage } from '../pages/overview/OverviewPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { StatsPage } from '../pages/stats/StatsPage.js';
import { PageErrorBoundary } from '../components/PageErrorBoundary.js';
import { useStatus } from './live-state.js';
import type { PageProps } from './page-props.js';

export const PAGES = [
  { id: 'overview', title: 'Overview', Page: OverviewPage },
  { id: 'accounts', title: 'Accounts', Page: AccountsPage },
  { id: 'logs', title: 'Live logs', Page: LogsPage },
  { id: 'stats', title: 'Stats', Page: StatsPage },
  { id: 'settings', title: 'Settings', Page: SettingsPage },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

/**
 * The console. Each page has its own address in the URL's fragment (`#/logs`), which works the same
 * under the desktop app's app:// origin and the headless console's /ui/, since no server ever sees it:
 * reload, Back and bookmarks land on the page they name. `location` is for tests (a memory location).
 */
export function App({ location = useHashLocation }: { location?: BaseLocationHook }) {
  return (
    <Router hook={location}>
      <Shell />
    </Router>
  );
}

function Shell() {
  const [path, navigate] = useLocation();
  const status = useStatus().value;
  const current = PAGES.find((p) => path === `/${p.id}`);
  useEffect(() => {
    document.title = current ? `${current.title} · Switchyard` : 'Switchyard';
  }, [current]);
  const onNavigate: PageProps['onNavigate'] = (id) => navigate(`/${id}`);
  return (
    <div className="layout">
      <div className="sidebar-cell">
        <nav className="sidebar" aria-label="Console pages">
          <div className="brand">
            <img className="brand-mark" src="./favicon.svg" alt="" />
            Switchyard
          </div>
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <Link href={`/${p.id}`} className="nav-item" aria-current={p === current ? 'page' : undefined}>
                  {p.title}
                </Link>
              </li>
            ))}
          </ul>
          <div className="sidebar-status" aria-live="polite">
            <span className={`dot ${status?.running ? 'on' : 'off'}`} aria-hidden="true" />
            {status === null ? 'Connecting…' : status.running ? `Gateway on :${status.port}` : 'Gateway stopped'}
          </div>
        </nav>
      </div>
      <main className="page" aria-labelledby="page-title">
        <Switch>
          {PAGES.map(({ id, title, Page }) => (
            <Route key={id} path={`/${id}`}>
              <h1 id="page-title">{title}</h1>
              <PageErrorBoundary key={id}>
                <Page onNavigate={onNavigate} />
              </PageErrorBoundary>
            </Route>
          ))}
          <Route path="/">
            <Redirect to="/overview" replace />
          </Route>
          <Route>
            <h1 id="page-title">No such page</h1>
            <p>
              Nothing lives at this address. <Link href="/overview">Go to the Overview</Link>.
            </p>
          </Route>
        </Switch>
      </main>
    </div>
  );
}

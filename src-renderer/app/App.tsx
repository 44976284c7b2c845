import { useState } from 'react';
import { AccountsPage } from '../pages/accounts/AccountsPage.js';
import { LogsPage } from '../pages/logs/LogsPage.js';
import { OverviewPage } from '../pages/overview/OverviewPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { StatsPage } from '../pages/stats/StatsPage.js';
import { PageErrorBoundary } from '../components/PageErrorBoundary.js';
import { useStatus } from './live-state.js';

const PAGES = [
  { id: 'overview', title: 'Overview', Page: OverviewPage },
  { id: 'accounts', title: 'Accounts', Page: AccountsPage },
  { id: 'logs', title: 'Live logs', Page: LogsPage },
  { id: 'stats', title: 'Stats', Page: StatsPage },
  { id: 'settings', title: 'Settings', Page: SettingsPage },
] as const;
type PageId = (typeof PAGES)[number]['id'];

export function App({ initialPage = 'overview' }: { initialPage?: PageId }) {
  const [page, setPage] = useState<PageId>(initialPage);
  const status = useStatus().value;
  const current = PAGES.find((p) => p.id === page) ?? PAGES[0];
  return (
    <div className="layout">
      <div className="sidebar-cell">
        <nav className="sidebar" aria-label="Console pages">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Switchyard
          </div>
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <button type="button" className="nav-item" aria-current={p.id === page ? 'page' : undefined} onClick={() => setPage(p.id)}>
                  {p.title}
                </button>
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
        <h1 id="page-title">{current.title}</h1>
        <PageErrorBoundary key={page}>
          <current.Page onNavigate={(id: string) => setPage(id as PageId)} />
        </PageErrorBoundary>
      </main>
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { AccessAuditPage } from '../admin/AccessAuditPage';
import { DispositionsPage } from '../admin/DispositionsPage';
import { QueuesPage } from '../admin/QueuesPage';
import { UsersPage } from '../admin/UsersPage';
import type { SessionUser } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { CustomersPage } from '../customers/CustomersPage';
import { DesktopPage } from '../desktop/DesktopPage';
import { SupervisorAlerts } from '../desktop/SupervisorAlerts';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';
import { AgentCampaignsPage } from '../outbound/AgentCampaignsPage';
import { CampaignAdminPage } from '../outbound/CampaignAdminPage';
import { MyEvaluationsPage } from '../qa/MyEvaluationsPage';
import { ResultsPage } from '../qa/ResultsPage';
import { ReviewPage } from '../qa/ReviewPage';
import { ReviewQueuePage } from '../qa/ReviewQueuePage';
import { SamplesPage } from '../qa/SamplesPage';
import { ReportsPage } from '../reports/ReportsPage';
import { LivePage } from '../wall/LivePage';
import { AppHeader } from './AppHeader';
import { visibleRoutes } from './NavTabs';
import { useHashRoute } from './useHashRoute';

/** Header, supervisor alerts and the page picked in the header. */
export function Shell({ user }: { user: SessionUser }) {
  const { logout } = useSession();
  const { t } = useI18n();
  const [route, navigate, param] = useHashRoute();
  // Supervisors land on the live view when they log in (an address with a page keeps its page).
  useEffect(() => {
    if (user.role === 'supervisor' && !window.location.hash.replace(/^#\/?/, '')) navigate('live');
  }, [user.role, navigate]);
  const allowed = visibleRoutes(user.role);
  const page = allowed.includes(route) ? route : 'desktop';
  const { calls } = useLive();
  const newest = calls[0]?.callId ?? null;
  const seen = useRef<string | null>(null);
  // A new call brings the desktop to the front, whatever page the agent was on.
  useEffect(() => {
    if (newest && newest !== seen.current) {
      seen.current = newest;
      if (page !== 'desktop') navigate('desktop');
    }
  }, [newest, page, navigate]);
  useEffect(() => {
    document.title = `${t('app.name')} · ${user.name}`;
  }, [t, user.name]);
  return (
    <div className="shell">
      <AppHeader user={user} route={page} onNavigate={navigate} onLogout={logout} />
      <SupervisorAlerts />
      <main className="page">
        {/* The desktop stays mounted so that a pop is never lost while another page is open. */}
        <div hidden={page !== 'desktop'}>
          <DesktopPage />
        </div>
        {page === 'live' ? <LivePage /> : null}
        {page === 'customers' ? <CustomersPage /> : null}
        {page === 'users' ? <UsersPage /> : null}
        {page === 'queues' ? <QueuesPage /> : null}
        {page === 'dispositions' ? <DispositionsPage /> : null}
        {page === 'access-audit' ? <AccessAuditPage /> : null}
        {page === 'qa-samples' ? <SamplesPage /> : null}
        {page === 'qa-queue' ? (
          <ReviewQueuePage onOpen={(callId) => navigate('qa-review', callId)} />
        ) : null}
        {page === 'qa-review' && param ? (
          <ReviewPage key={param} callId={param} onDone={() => navigate('qa-queue')} />
        ) : null}
        {page === 'qa-results' ? <ResultsPage /> : null}
        {page === 'reports' ? <ReportsPage user={user} /> : null}
        {page === 'my-evaluations' ? <MyEvaluationsPage /> : null}
        {page === 'campaigns' ? (
          user.role === 'agent' ? (
            <AgentCampaignsPage />
          ) : (
            <CampaignAdminPage canJoin={user.role === 'supervisor'} />
          )
        ) : null}
      </main>
    </div>
  );
}

import type { Role } from '../api/types';
import type { MsgKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';
import type { Route } from './useHashRoute';

const QA_ROLES: Role[] = ['qa', 'supervisor', 'admin'];

/** Who sees the supervisor wall (the service sends it to these roles only). */
export const WALL_ROLES: Role[] = ['supervisor', 'admin', 'qa'];

const TABS: Array<{ route: Route; key: MsgKey; roles?: Role[]; group?: MsgKey }> = [
  { route: 'live', key: 'nav.live', roles: WALL_ROLES },
  { route: 'desktop', key: 'nav.desktop' },
  { route: 'customers', key: 'nav.customers' },
  { route: 'my-evaluations', key: 'nav.myEvaluations', roles: ['agent'] },
  // Agents: the campaigns they may join; supervisors and admins: the campaigns to manage.
  { route: 'campaigns', key: 'nav.campaigns', roles: ['agent', 'supervisor', 'admin'] },
  { route: 'qa-queue', key: 'nav.qaQueue', roles: QA_ROLES, group: 'nav.qa' },
  { route: 'qa-samples', key: 'nav.qaSamples', roles: QA_ROLES, group: 'nav.qa' },
  { route: 'qa-results', key: 'nav.qaResults', roles: QA_ROLES, group: 'nav.qa' },
  { route: 'users', key: 'nav.users', roles: ['admin', 'supervisor'], group: 'nav.admin' },
  { route: 'queues', key: 'nav.queues', roles: ['admin', 'supervisor'], group: 'nav.admin' },
  {
    route: 'dispositions',
    key: 'nav.dispositions',
    roles: ['admin', 'supervisor'],
    group: 'nav.admin',
  },
];

/** Pages reachable without a tab of their own. */
const HIDDEN: Array<{ route: Route; roles: Role[] }> = [{ route: 'qa-review', roles: QA_ROLES }];

export function visibleRoutes(role: Role): Route[] {
  return [...TABS, ...HIDDEN]
    .filter((tab) => !tab.roles || tab.roles.includes(role))
    .map((tab) => tab.route);
}

export function NavTabs(props: { role: Role; route: Route; onNavigate: (r: Route) => void }) {
  const { t } = useI18n();
  const tabs = TABS.filter((tab) => !tab.roles || tab.roles.includes(props.role));
  // The review page belongs to the queue's tab.
  const active = props.route === 'qa-review' ? 'qa-queue' : props.route;
  return (
    <nav className="nav-tabs">
      {tabs.map((tab, i) => [
        tab.group && tabs[i - 1]?.group !== tab.group ? (
          <span key={`group-${tab.group}`} className="nav-group">
            {t(tab.group)}
          </span>
        ) : null,
        <a
          key={tab.route}
          href={`#/${tab.route}`}
          className={active === tab.route ? 'active' : ''}
          data-testid={`nav-${tab.route}`}
          onClick={(e) => {
            e.preventDefault();
            props.onNavigate(tab.route);
          }}
        >
          {t(tab.key)}
        </a>,
      ])}
    </nav>
  );
}

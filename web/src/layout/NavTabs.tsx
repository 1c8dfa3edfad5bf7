import { useEffect, useRef } from 'react';
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
  // Everyone: an agent's reports are their own figures.
  { route: 'reports', key: 'nav.reports' },
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
  { route: 'access-audit', key: 'nav.accessAudit', roles: ['admin'], group: 'nav.admin' },
];

/** Pages reachable without a tab of their own. */
const HIDDEN: Array<{ route: Route; roles: Role[] }> = [{ route: 'qa-review', roles: QA_ROLES }];

export function visibleRoutes(role: Role): Route[] {
  return [...TABS, ...HIDDEN]
    .filter((tab) => !tab.roles || tab.roles.includes(role))
    .map((tab) => tab.route);
}

type Tab = (typeof TABS)[number];

/**
 * The header's tabs. A role with several groups (QA and Admin: supervisors, admins) gets each
 * group as a menu, so that the header fits 1440 px in English and Chinese; a role with one group
 * (qa) keeps its tabs in the bar.
 */
export function NavTabs(props: { role: Role; route: Route; onNavigate: (r: Route) => void }) {
  const { t } = useI18n();
  const tabs = TABS.filter((tab) => !tab.roles || tab.roles.includes(props.role));
  // The review page belongs to the queue's tab.
  const active = props.route === 'qa-review' ? 'qa-queue' : props.route;
  const groups = [...new Set(tabs.map((tab) => tab.group).filter((g): g is MsgKey => !!g))];
  const menus = groups.length > 1;
  const bar = useRef<HTMLElement>(null);
  // A menu closes when something else is clicked.
  useEffect(() => {
    if (!menus) return;
    const close = (e: PointerEvent) => {
      for (const d of bar.current?.querySelectorAll('details[open]') ?? [])
        if (!d.contains(e.target as Node)) (d as HTMLDetailsElement).open = false;
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [menus]);
  const link = (tab: Tab) => (
    <a
      key={tab.route}
      href={`#/${tab.route}`}
      className={active === tab.route ? 'active' : ''}
      data-testid={`nav-${tab.route}`}
      onClick={(e) => {
        e.preventDefault();
        const menu = e.currentTarget.closest('details');
        if (menu) menu.open = false;
        props.onNavigate(tab.route);
      }}
    >
      {t(tab.key)}
    </a>
  );
  return (
    <nav className="nav-tabs" ref={bar}>
      {tabs.map((tab, i) => {
        if (!tab.group) return link(tab);
        if (tabs[i - 1]?.group === tab.group) return menus ? null : link(tab);
        const members = tabs.filter((x) => x.group === tab.group);
        if (!menus)
          return [
            <span key={`group-${tab.group}`} className="nav-group">
              {t(tab.group)}
            </span>,
            link(tab),
          ];
        const current = members.find((x) => x.route === active);
        return (
          <details
            key={`group-${tab.group}`}
            className={`nav-menu${current ? ' active' : ''}`}
            data-testid={`nav-menu-${tab.group.replace('nav.', '')}`}
          >
            <summary title={current ? t(current.key) : undefined}>{t(tab.group)}</summary>
            <div className="nav-menu-list">{members.map(link)}</div>
          </details>
        );
      })}
    </nav>
  );
}

import type { SessionUser } from '../api/types';
import { AgentStatusBar } from '../desktop/AgentStatusBar';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';
import { NavTabs } from './NavTabs';
import type { Route } from './useHashRoute';

export function AppHeader(props: {
  user: SessionUser;
  route: Route;
  onNavigate: (r: Route) => void;
  onLogout: () => void;
}) {
  const { t, label } = useI18n();
  const { agent } = useLive();
  const extension = agent?.extension ?? props.user.extension;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark">H</span>
        <span>{t('app.name')}</span>
      </div>
      <NavTabs role={props.user.role} route={props.route} onNavigate={props.onNavigate} />
      <div className="header-spacer" />
      <AgentStatusBar />
      <LanguageSwitch />
      <div className="user-badge" data-testid="user-badge" title={props.user.name}>
        <span className="user-name">{props.user.name}</span>
        <span className="user-meta">
          {label('role', props.user.role)}
          {extension ? ` · ${t('header.ext')} ${extension}` : ''}
        </span>
      </div>
      <button
        type="button"
        className="btn ghost-light small"
        onClick={props.onLogout}
        data-testid="logout"
      >
        {t('header.logout')}
      </button>
    </header>
  );
}

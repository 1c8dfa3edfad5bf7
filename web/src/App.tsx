import { LoginPage } from './auth/LoginPage';
import { SessionProvider, useSession } from './auth/SessionProvider';
import { I18nProvider } from './i18n/I18nProvider';
import { Shell } from './layout/Shell';
import { LiveProvider } from './live/LiveProvider';

function Gate() {
  const { user } = useSession();
  if (!user) return <LoginPage />;
  return (
    <LiveProvider>
      <Shell user={user} />
    </LiveProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </I18nProvider>
  );
}

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { useI18n } from '../i18n/I18nProvider';
import { useSession } from './SessionProvider';
import { useAction } from '../common/useAction';

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    run(() => login(username.trim(), password));
  }

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="brand brand-large">
          <span className="brand-mark">H</span>
          <span>{t('app.name')}</span>
        </div>
        <p className="muted">{t('login.subtitle')}</p>
        <label className="field">
          <span>{t('login.username')}</span>
          <input
            data-testid="login-username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        <button
          className="btn primary block"
          type="submit"
          disabled={busy}
          data-testid="login-submit"
        >
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}

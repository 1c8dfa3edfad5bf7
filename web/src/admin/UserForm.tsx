import { useState, type FormEvent } from 'react';
import type { Role, User } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { splitList } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

export const ROLES: Role[] = ['agent', 'supervisor', 'qa', 'admin'];

export interface UserInput {
  username: string;
  password: string;
  name: string;
  role: Role;
  extension: string | null;
  skills: string[];
  active: boolean;
}

/** A new user (username + password) or changes to one (password only when typed). */
export function UserForm(props: {
  user: User | null;
  readOnly: boolean;
  onSubmit: (input: UserInput) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, label } = useI18n();
  const u = props.user;
  const [username, setUsername] = useState(u?.username ?? '');
  const [password, setPassword] = useState('');
  const [name, setName] = useState(u?.name ?? '');
  const [role, setRole] = useState<Role>(u?.role ?? 'agent');
  const [extension, setExtension] = useState(u?.extension ?? '');
  const [skills, setSkills] = useState((u?.skills ?? []).join(', '));
  const [active, setActive] = useState(u?.active ?? true);
  const { busy, error, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    run(() =>
      props.onSubmit({
        username: username.trim(),
        password,
        name: name.trim(),
        role,
        extension: extension.trim() || null,
        skills: splitList(skills),
        active,
      }),
    );
  }

  return (
    <form className="form-grid" onSubmit={submit} data-testid="user-form">
      <fieldset disabled={props.readOnly} className="contents">
        <label className="field">
          <span>{t('users.username')} *</span>
          <input
            required
            disabled={u !== null}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>
            {t('users.password')}
            {u ? '' : ' *'}
          </span>
          <input
            type="password"
            autoComplete="new-password"
            required={u === null}
            minLength={8}
            value={password}
            placeholder={u ? t('users.passwordKeep') : t('users.passwordHint')}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('users.name')} *</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('users.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {label('role', r)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('users.extension')}</span>
          <input
            inputMode="numeric"
            pattern="\d{2,10}"
            value={extension}
            onChange={(e) => setExtension(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('users.skills')}</span>
          <input
            value={skills}
            placeholder={t('common.commaList')}
            onChange={(e) => setSkills(e.target.value)}
          />
        </label>
        {u ? (
          <label className="field checkbox-field">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            <span>{t('users.active')}</span>
          </label>
        ) : null}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions span-2">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        {!props.readOnly ? (
          <button type="submit" className="btn primary" disabled={busy}>
            {u ? t('common.save') : t('users.create')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

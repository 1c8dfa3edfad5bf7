import { useState } from 'react';
import { post, put } from '../api/client';
import type { User } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { ErrorMessage } from '../common/ErrorMessage';
import { Panel } from '../common/Panel';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import { UserForm, type UserInput } from './UserForm';

type Editing = { user: User | null } | null;

/** Admin: every user; create one, or change name, role, extension, password, skills, active. */
export function UsersPage() {
  const { t, label } = useI18n();
  const { user: me } = useSession();
  const readOnly = me?.role !== 'admin';
  const { data, error, reload } = useApiData<{ users: User[] }>('/users');
  const [editing, setEditing] = useState<Editing>(null);

  async function save(input: UserInput) {
    const current = editing?.user ?? null;
    if (!current) {
      const created = await post<User>('/users', {
        username: input.username,
        password: input.password,
        name: input.name,
        role: input.role,
        ...(input.extension ? { extension: input.extension } : {}),
      });
      if (input.skills.length) await put(`/users/${created.id}`, { skills: input.skills });
    } else {
      await put(`/users/${current.id}`, {
        name: input.name,
        role: input.role,
        extension: input.extension,
        skills: input.skills,
        active: input.active,
        ...(input.password ? { password: input.password } : {}),
      });
    }
    setEditing(null);
    reload();
  }

  const users = data?.users ?? [];
  return (
    <div className="two-col wide-left">
      <Panel
        title={t('users.title')}
        testId="users-page"
        actions={
          !readOnly ? (
            <button type="button" className="btn small" onClick={() => setEditing({ user: null })}>
              + {t('users.new')}
            </button>
          ) : null
        }
      >
        {readOnly ? <p className="muted small">{t('admin.readOnly')}</p> : null}
        <ErrorMessage error={error} />
        <table className="table selectable">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('users.username')}</th>
              <th>{t('users.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.extension')}</th>
              <th>{t('users.skills')}</th>
              <th>{t('users.active')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr
                key={u.id}
                className={`${editing?.user?.id === u.id ? 'selected' : ''}${u.active === false ? ' inactive' : ''}`}
                onClick={() => setEditing({ user: u })}
              >
                <td className="muted">{u.id}</td>
                <td>{u.username}</td>
                <td>{u.name}</td>
                <td>
                  <span className={`role-chip role-${u.role}`}>{label('role', u.role)}</span>
                </td>
                <td>{u.extension ?? '—'}</td>
                <td className="muted">{(u.skills ?? []).join(', ') || '—'}</td>
                <td>{u.active === false ? t('common.no') : t('common.yes')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel
        title={
          editing?.user
            ? t('users.editTitle', { name: editing.user.name })
            : editing
              ? t('users.new')
              : t('users.details')
        }
      >
        {editing ? (
          <UserForm
            key={editing.user?.id ?? 'new'}
            user={editing.user}
            readOnly={readOnly}
            onSubmit={save}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <p className="empty">{t('users.pick')}</p>
        )}
      </Panel>
    </div>
  );
}

import { ROLES, type Role } from '../api/auth';
import type { User as ApiUser, UserDetail as ApiUserDetail } from '../api/users';
import type { Db } from '../db';
import { isUniqueViolation, num } from '../db';
import { HotlineError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import { isoOf } from '../shared/clock';
import { hashPassword } from './passwords';

export { ROLES, type Role };

export type User = ApiUser;

/** A user as the admin API shows it (GET/PUT /api/users): with skills and whether active. */
export type UserDetail = ApiUserDetail;

/** What an admin may change on a user; absent = leave as it is. */
export interface UserPatch {
  name?: string;
  role?: Role;
  extension?: string | null;
  password?: string;
  skills?: string[];
  active?: boolean;
}

interface UserRow {
  id: number;
  username: string;
  name: string;
  role: string;
  extension: string | null;
  password_hash: string;
  disabled: boolean | number;
  created_at: number | string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role as Role,
  extension: r.extension,
  createdAt: isoOf(num(r.created_at)) ?? '',
});

const takenError = (extension: string | null | undefined) =>
  new HotlineError(
    'HOTLINE_EXTENSION_TAKEN',
    `extension ${extension ?? ''} belongs to another user`,
  );

export function createUsersRepo(db: Db, clock: Clock) {
  async function skillsOf(ids?: number[]): Promise<Map<number, string[]>> {
    let q = db('agent_skills').select<Array<{ user_id: number; skill: string }>>();
    if (ids) q = q.whereIn('user_id', ids);
    const out = new Map<number, string[]>();
    for (const r of await q.orderBy('skill')) {
      const list = out.get(r.user_id) ?? [];
      list.push(r.skill);
      out.set(r.user_id, list);
    }
    return out;
  }
  const detailOf = (r: UserRow, skills: Map<number, string[]>): UserDetail => ({
    ...toUser(r),
    skills: skills.get(r.id) ?? [],
    active: !r.disabled,
  });

  return {
    async create(u: {
      username: string;
      password: string;
      name: string;
      role: Role;
      extension?: string | null;
    }): Promise<User> {
      const password_hash = await hashPassword(u.password);
      try {
        const [row] = await db('users')
          .insert({
            username: u.username,
            name: u.name,
            role: u.role,
            extension: u.extension ?? null,
            password_hash,
            disabled: false,
            created_at: clock.now(),
          })
          .returning<Array<{ id: number }>>('id');
        return (await this.get(row!.id))!;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const taken = await db('users')
          .where({ username: u.username })
          .first<{ id: number } | undefined>('id');
        throw taken
          ? new HotlineError('HOTLINE_USERNAME_TAKEN', `username ${u.username} is taken`)
          : takenError(u.extension);
      }
    },
    /** Changes the given fields (admin); the password is hashed, skills replaced as a whole. */
    async update(id: number, patch: UserPatch): Promise<UserDetail | null> {
      const row: Record<string, unknown> = {};
      if (patch.name !== undefined) row.name = patch.name;
      if (patch.role !== undefined) row.role = patch.role;
      if (patch.extension !== undefined) row.extension = patch.extension;
      if (patch.active !== undefined) row.disabled = !patch.active;
      if (patch.password !== undefined) row.password_hash = await hashPassword(patch.password);
      try {
        const found = await db.transaction(async (trx) => {
          const exists = await trx('users').where({ id }).first<{ id: number } | undefined>('id');
          if (!exists) return false;
          if (Object.keys(row).length) await trx('users').where({ id }).update(row);
          if (patch.skills !== undefined) {
            const skills = [...new Set(patch.skills)];
            await trx('agent_skills').where({ user_id: id }).delete();
            if (skills.length)
              await trx('agent_skills').insert(skills.map((skill) => ({ user_id: id, skill })));
          }
          return true;
        });
        return found ? this.detail(id) : null;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        throw takenError(patch.extension);
      }
    },
    /** The user with skills and active flag, or null. */
    async detail(id: number): Promise<UserDetail | null> {
      const r = await db<UserRow>('users').where({ id }).first();
      return r ? detailOf(r, await skillsOf([id])) : null;
    },
    async get(id: number): Promise<User | null> {
      const r = await db<UserRow>('users').where({ id }).first();
      return r ? toUser(r) : null;
    },
    /** With the hash, for login only. */
    async getForLogin(
      username: string,
    ): Promise<(User & { passwordHash: string; disabled: boolean }) | null> {
      const r = await db<UserRow>('users').where({ username }).first();
      return r
        ? { ...toUser(r), passwordHash: r.password_hash, disabled: Boolean(r.disabled) }
        : null;
    },
    async list(): Promise<UserDetail[]> {
      const skills = await skillsOf();
      return (await db<UserRow>('users').orderBy('id')).map((r) => detailOf(r, skills));
    },
    async count(): Promise<number> {
      const r = await db('users').count<Array<{ n: number | string }>>({ n: '*' });
      return num(r[0]?.n);
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;

import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { num } from '../db';
import type { Clock } from '../shared/clock';
import type { User, UsersRepo } from './users-repo';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Opaque bearer tokens: 32 random bytes given to the client, only their SHA-256 stored. Kept in
 * the database (not a signed token) so that every instance accepts them and logout revokes them.
 * A short in-process cache keeps the lookup off the hot path.
 */
export function createSessions(deps: { db: Db; users: UsersRepo; clock: Clock; ttlMs: number }) {
  const cache = new Map<string, { user: User; until: number }>();
  const CACHE_MS = 15_000;

  return {
    async issue(userId: number): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const now = deps.clock.now();
      await deps.db('sessions').insert({
        token_hash: sha256(token),
        user_id: userId,
        created_at: now,
        expires_at: now + deps.ttlMs,
      });
      return token;
    },
    async resolve(token: string | undefined | null): Promise<User | null> {
      if (!token || token.length > 200) return null;
      const hash = sha256(token);
      const now = deps.clock.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now) return hit.user;
      const row = await deps
        .db('sessions')
        .join('users', 'users.id', 'sessions.user_id')
        .where('sessions.token_hash', hash)
        .andWhere('users.disabled', false)
        .first<{ user_id: number; expires_at: number | string } | undefined>(
          'sessions.user_id',
          'sessions.expires_at',
        );
      if (!row || num(row.expires_at) <= now) return null;
      const user = await deps.users.get(row.user_id);
      if (!user) return null;
      cache.set(hash, { user, until: Math.min(now + CACHE_MS, num(row.expires_at)) });
      return user;
    },
    async revoke(token: string): Promise<void> {
      const hash = sha256(token);
      cache.delete(hash);
      await deps.db('sessions').where({ token_hash: hash }).delete();
    },
    /** Drops the cached user of every token of this user (their role or name changed). */
    forgetUser(userId: number): void {
      for (const [hash, hit] of cache) if (hit.user.id === userId) cache.delete(hash);
    },
    /** Revokes every token of this user (deactivated). */
    async revokeUser(userId: number): Promise<void> {
      this.forgetUser(userId);
      await deps.db('sessions').where({ user_id: userId }).delete();
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

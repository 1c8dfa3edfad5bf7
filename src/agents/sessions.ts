import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { num } from '../db';
import type { SessionEndReason } from '../screenpop/agent-events';
import type { Clock } from '../shared/clock';
import type { User, UsersRepo } from './users-repo';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export type { SessionEndReason };

/**
 * What was revoked, for whoever holds connections on a session (the socket.io gateway):
 * one session (logout), or every session of a user but perhaps the one that asked.
 */
export type Revocation =
  | { kind: 'session'; sessionId: string; reason: SessionEndReason }
  | { kind: 'user'; userId: number; keep: string | null; reason: SessionEndReason };

/** A session: its id (the token's SHA-256, never the token) and its user. */
export interface Session {
  id: string;
  user: User;
}

/** Rows per `IN (…)` list (SQLite allows 999 parameters by default). */
const CHUNK = 500;

/**
 * Opaque bearer tokens: 32 random bytes given to the client, only their SHA-256 stored (the
 * session id). Kept in the database (not a signed token) so that every instance accepts them and
 * logout revokes them. A session ends at `ttlMs` after login at the latest, and earlier when it
 * has not been used for `idleMs`: a request, a socket event or the gateway's sweep of connected
 * sockets (`keepAlive`) counts as use. Use is written at most every `touchEveryMs`.
 *
 * A short in-process cache keeps the lookup off the hot path; this instance drops entries at
 * once on revocation, another instance may accept a revoked token over HTTP for up to
 * `CACHE_MS` (its sockets are closed at once through the socket.io adapter).
 */
export function createSessions(deps: {
  db: Db;
  users: UsersRepo;
  clock: Clock;
  ttlMs: number;
  /** Idle time after which a session ends; absent: only `ttlMs` ends sessions. */
  idleMs?: number;
}) {
  const idleMs = Math.min(deps.idleMs ?? deps.ttlMs, deps.ttlMs);
  const touchEveryMs = Math.min(60_000, Math.floor(idleMs / 10));
  const cache = new Map<string, { user: User; until: number; lastSeen: number }>();
  const CACHE_MS = 15_000;
  const listeners: Array<(r: Revocation) => void> = [];

  const notify = (r: Revocation) => {
    for (const l of listeners) l(r);
  };
  /** Sessions with a user who may still log in, not past their end nor idle too long. */
  const live = (now: number) =>
    deps
      .db('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .where('users.disabled', false)
      .andWhere('sessions.expires_at', '>', now)
      .andWhere('sessions.last_seen_at', '>', now - idleMs);

  async function byId(id: string): Promise<Session | null> {
    const now = deps.clock.now();
    const hit = cache.get(id);
    if (hit && hit.until > now) {
      if (now - hit.lastSeen >= touchEveryMs) {
        hit.lastSeen = now;
        await deps.db('sessions').where({ token_hash: id }).update({ last_seen_at: now });
      }
      return { id, user: hit.user };
    }
    const row = await live(now)
      .andWhere('sessions.token_hash', id)
      .first<{ user_id: number; expires_at: number | string; last_seen_at: number | string }>(
        'sessions.user_id',
        'sessions.expires_at',
        'sessions.last_seen_at',
      );
    if (!row) {
      cache.delete(id);
      return null;
    }
    const user = await deps.users.get(row.user_id);
    if (!user) return null;
    let lastSeen = num(row.last_seen_at);
    if (now - lastSeen >= touchEveryMs) {
      lastSeen = now;
      await deps.db('sessions').where({ token_hash: id }).update({ last_seen_at: now });
    }
    cache.set(id, {
      user,
      lastSeen,
      until: Math.min(now + CACHE_MS, num(row.expires_at), lastSeen + idleMs),
    });
    return { id, user };
  }

  const idOf = (token: string | undefined | null): string | null =>
    token && token.length <= 200 ? sha256(token) : null;

  return {
    idleMs,
    /** How often a holder of long-lived connections should call `keepAlive` (and re-check). */
    keepAliveEveryMs: Math.max(1_000, Math.min(60_000, Math.floor(idleMs / 4))),

    async issue(userId: number): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const now = deps.clock.now();
      // Logins are rare: a good moment to drop the rows of sessions that ended on their own.
      await deps
        .db('sessions')
        .where('expires_at', '<=', now)
        .orWhere('last_seen_at', '<=', now - idleMs)
        .delete();
      await deps.db('sessions').insert({
        token_hash: sha256(token),
        user_id: userId,
        created_at: now,
        expires_at: now + deps.ttlMs,
        last_seen_at: now,
      });
      return token;
    },
    /** The token's user, or null (unknown, revoked, expired, idle too long, user deactivated). */
    async resolve(token: string | undefined | null): Promise<User | null> {
      const id = idOf(token);
      return id ? ((await byId(id))?.user ?? null) : null;
    },
    /** Like `resolve`, with the session's id (socket.io keeps it to check the session later). */
    async session(token: string | undefined | null): Promise<Session | null> {
      const id = idOf(token);
      return id ? byId(id) : null;
    },
    /** The session by its id, or null; counts as use. */
    check: byId,
    /**
     * Marks these sessions used now (their sockets are connected and answer heartbeats) and
     * returns those that are still valid; the others have ended.
     */
    async keepAlive(ids: readonly string[]): Promise<Set<string>> {
      const now = deps.clock.now();
      const alive = new Set<string>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = await live(now)
          .whereIn('sessions.token_hash', chunk)
          .select<Array<{ token_hash: string }>>('sessions.token_hash');
        const ok = rows.map((r) => r.token_hash);
        if (ok.length)
          await deps.db('sessions').whereIn('token_hash', ok).update({ last_seen_at: now });
        for (const id of ok) {
          alive.add(id);
          const hit = cache.get(id);
          if (hit) hit.lastSeen = now;
        }
      }
      for (const id of ids) if (!alive.has(id)) cache.delete(id);
      return alive;
    },
    /** Ends this token's session (logout) and, through the listeners, its sockets. */
    async revoke(token: string): Promise<void> {
      const id = sha256(token);
      cache.delete(id);
      await deps.db('sessions').where({ token_hash: id }).delete();
      notify({ kind: 'session', sessionId: id, reason: 'logout' });
    },
    /** Drops the cached user of every token of this user (their name or extension changed). */
    forgetUser(userId: number): void {
      for (const [id, hit] of cache) if (hit.user.id === userId) cache.delete(id);
    },
    /**
     * Ends every session of this user (deactivated, role or password changed) but `keep`'s,
     * the token of the request that asked, if given; the listeners close their sockets.
     */
    async revokeUser(
      userId: number,
      opts: { reason: SessionEndReason; keep?: string | null },
    ): Promise<void> {
      const keep = opts.keep ? sha256(opts.keep) : null;
      for (const [id, hit] of cache) if (hit.user.id === userId && id !== keep) cache.delete(id);
      const q = deps.db('sessions').where({ user_id: userId });
      if (keep) q.whereNot({ token_hash: keep });
      await q.delete();
      if (keep) cache.delete(keep); // the kept session's user is read again (role, name)
      notify({ kind: 'user', userId, keep, reason: opts.reason });
    },
    /** Called after each revocation (synchronously, after the database write). */
    onRevoked(listener: (r: Revocation) => void): void {
      listeners.push(listener);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

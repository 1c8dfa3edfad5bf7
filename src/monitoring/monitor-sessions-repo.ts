import type { MonitorMode, MonitorSession } from '../api/monitoring';
import { num, type Db } from '../db';
import { isoOf } from '../shared/clock';

interface Row {
  id: string;
  call_id: string;
  user_id: number;
  mode: string;
  modes: string;
  requested_at: number | string;
  answered_at: number | string | null;
  ended_at: number | string | null;
  end_reason: string | null;
  user_name?: string | null;
}

const toSession = (r: Row): MonitorSession => ({
  id: r.id,
  callId: r.call_id,
  userId: r.user_id,
  userName: r.user_name ?? null,
  mode: r.mode as MonitorMode,
  modes: (JSON.parse(r.modes) as Array<[MonitorMode, number]>).map(([mode, at]) => ({
    mode,
    at: isoOf(at)!,
  })),
  requestedAt: isoOf(num(r.requested_at))!,
  answeredAt: isoOf(num(r.answered_at, true)),
  endedAt: isoOf(num(r.ended_at, true)),
  endReason: r.end_reason,
});

/**
 * The monitoring audit (listen / whisper / barge): one row per session, written as it happens
 * (requested, answered, each mode change, ended), so a session cut short by a crash still shows.
 */
export function createMonitorSessionsRepo(db: Db) {
  return {
    async open(s: {
      id: string;
      callId: string;
      userId: number;
      mode: MonitorMode;
      at: number;
    }): Promise<void> {
      await db('monitor_sessions').insert({
        id: s.id,
        call_id: s.callId,
        user_id: s.userId,
        mode: s.mode,
        modes: JSON.stringify([[s.mode, s.at]]),
        requested_at: s.at,
      });
    },
    async answered(id: string, at: number): Promise<void> {
      await db('monitor_sessions').where({ id }).update({ answered_at: at });
    },
    async mode(id: string, mode: MonitorMode, at: number): Promise<void> {
      await db.transaction(async (trx) => {
        const row = await trx<Row>('monitor_sessions').where({ id }).first('modes');
        if (!row) return;
        const modes = JSON.parse(row.modes) as Array<[MonitorMode, number]>;
        modes.push([mode, at]);
        await trx('monitor_sessions')
          .where({ id })
          .update({ mode, modes: JSON.stringify(modes) });
      });
    },
    async end(id: string, reason: string, at: number): Promise<void> {
      await db('monitor_sessions')
        .where({ id })
        .whereNull('ended_at')
        .update({ ended_at: at, end_reason: reason.slice(0, 32) });
    },
    /** Sessions never ended (the service stopped under them): closed at the next start. */
    async closeOpen(reason: string, at: number): Promise<number> {
      return db('monitor_sessions')
        .whereNull('ended_at')
        .update({ ended_at: at, end_reason: reason });
    },
    async list(f: {
      callId?: string;
      userId?: number;
      from?: number;
      to?: number;
      limit: number;
      offset: number;
    }): Promise<MonitorSession[]> {
      const q = db<Row>('monitor_sessions as m')
        .leftJoin('users as u', 'u.id', 'm.user_id')
        .select('m.*', 'u.name as user_name')
        .orderBy('m.requested_at', 'desc')
        .orderBy('m.id')
        .limit(f.limit)
        .offset(f.offset);
      if (f.callId) void q.where('m.call_id', f.callId);
      if (f.userId) void q.where('m.user_id', f.userId);
      if (f.from !== undefined) void q.where('m.requested_at', '>=', f.from);
      if (f.to !== undefined) void q.where('m.requested_at', '<', f.to);
      return (await q).map(toSession);
    },
  };
}

export type MonitorSessionsRepo = ReturnType<typeof createMonitorSessionsRepo>;

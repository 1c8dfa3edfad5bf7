import type { QueueView as ApiQueueView } from '../api/admin';
import type { Db } from '../db';
import type { QueueConfigInput } from '../config';
import type { Clock } from '../shared/clock';
import { HotlineError, notFound } from '../shared/errors';
import {
  DEFAULT_MAX_WAIT_ALERT_SEC,
  DEFAULT_SERVICE_LEVEL_TARGET_PCT,
} from '../metrics/definitions';
import { isOpen, parseRule, type OpeningRule } from './opening-hours';

export interface QueueInfo {
  id: number;
  name: string;
  ringTimeoutSec: number;
  ownerFirstSec: number;
  serviceLevelSec: number;
  /** Skills an agent needs for this queue (all of them). */
  skills: Set<string>;
  hours: OpeningRule[];
  timezone: string;
  callbackOfferAfterSec: number | null;
  /** Members' user ids; empty = every agent serves this queue (a small center's one queue). */
  members: Set<number>;
  /** Recording policy: always (from the answer), never, or on-demand (the agent starts it). */
  recording: RecordingPolicy;
  /** The satisfaction survey when the agent hangs up first (calls/handlers/survey.ts). */
  survey: SurveyPolicy;
  /** The supervisor wall: today's service level below this % turns the queue's tile red. */
  serviceLevelTargetPct: number;
  /** The supervisor wall: a caller waiting longer than this (s) turns the queue's tile red. */
  maxWaitAlertSec: number;
}

export type RecordingPolicy = 'always' | 'never' | 'on-demand';
export type SurveyPolicy = 'off' | 'after-agent-hangup';

/** What an admin sets on a queue (POST/PUT /api/queues); absent = leave as it is. */
export interface QueueSettings {
  dids?: string[];
  ringTimeoutSec?: number;
  ownerFirstSec?: number;
  serviceLevelSec?: number;
  skills?: string[];
  members?: number[];
  hours?: string[];
  timezone?: string;
  callbackOfferAfterSec?: number | null;
  recording?: RecordingPolicy;
  survey?: SurveyPolicy;
  serviceLevelTargetPct?: number;
  maxWaitAlertSec?: number;
}

/** A queue as the admin API shows it (GET /api/queues): effective values, hours as written. */
export type QueueView = ApiQueueView;

interface QueueRow {
  id: number;
  name: string;
  ring_timeout_sec: number | null;
  owner_first_sec: number | null;
  service_level_sec: number | null;
  skills: string | null;
  hours: string | null;
  timezone: string | null;
  callback_offer_after_sec: number | null;
  recording: string | null;
  survey?: string | null;
  service_level_target_pct: number | null;
  max_wait_alert_sec: number | null;
}

/** DIDs are kept as the digits (and * #) the carrier sends, so "+86 400-800" = "86400800". */
export const didKey = (did: string) => did.replace(/[^\d*#]/g, '');

const jsonList = <T>(text: string | null): T[] => (text ? (JSON.parse(text) as T[]) : []);

/**
 * Queues, their DIDs and members. The database holds every setting (so that call records and
 * reports can join on them, and the admin API can change them); the call path is served from
 * memory, refreshed by `reload()` after every change.
 *
 * The configuration's queues SEED the database: `sync()` inserts a queue the database does not
 * have yet, with all its settings and DIDs, and leaves an existing queue exactly as an admin last
 * saved it (a changed config does not overwrite it; change it through PUT /api/queues/:name). A
 * DID the config gives a new queue while another queue already has it stays with that queue. A
 * queue row from before the admin API (its `hours` is NULL) gets the config's hours, time zone
 * and call-back offer once, as those used to live in the config only.
 */
export function createQueues(deps: {
  db: Db;
  clock: Clock;
  defaultQueue: string;
  defaultRingTimeoutSec: number;
  defaultOwnerFirstSec?: number;
  defaultServiceLevelSec?: number;
  defaultTimezone?: string;
  defaultRecording?: RecordingPolicy;
  defaultServiceLevelTargetPct?: number;
  defaultMaxWaitAlertSec?: number;
}) {
  const byName = new Map<string, QueueInfo>();
  const byDid = new Map<string, string>();
  /** What the admin view needs beyond QueueInfo: the hours as written, the DIDs. */
  const written = new Map<string, { hours: string[]; dids: string[] }>();

  /** Checks members and DIDs and writes the settings of queue `id` (inside `trx`). */
  async function write(trx: Db, id: number, s: QueueSettings): Promise<void> {
    const row: Record<string, unknown> = {};
    if (s.ringTimeoutSec !== undefined) row.ring_timeout_sec = s.ringTimeoutSec;
    if (s.ownerFirstSec !== undefined) row.owner_first_sec = s.ownerFirstSec;
    if (s.serviceLevelSec !== undefined) row.service_level_sec = s.serviceLevelSec;
    if (s.skills !== undefined) row.skills = JSON.stringify([...new Set(s.skills)]);
    if (s.hours !== undefined) {
      s.hours.forEach(parseRule); // throws on a bad rule (the API validates before)
      row.hours = JSON.stringify(s.hours);
    }
    if (s.timezone !== undefined) row.timezone = s.timezone;
    if (s.callbackOfferAfterSec !== undefined)
      row.callback_offer_after_sec = s.callbackOfferAfterSec;
    if (s.recording !== undefined) row.recording = s.recording;
    if (s.survey !== undefined) row.survey = s.survey;
    if (s.serviceLevelTargetPct !== undefined)
      row.service_level_target_pct = s.serviceLevelTargetPct;
    if (s.maxWaitAlertSec !== undefined) row.max_wait_alert_sec = s.maxWaitAlertSec;
    if (Object.keys(row).length) await trx('queues').where({ id }).update(row);

    if (s.members !== undefined) {
      const ids = [...new Set(s.members)];
      const found = ids.length
        ? (await trx('users').whereIn('id', ids).select<Array<{ id: number }>>('id')).map(
            (u) => u.id,
          )
        : [];
      const unknown = ids.filter((m) => !found.includes(m));
      if (unknown.length)
        throw new HotlineError('HOTLINE_VALIDATION', `members: no user ${unknown.join(', ')}`, [
          { path: 'members', message: `no user ${unknown.join(', ')}` },
        ]);
      await trx('queue_members').where({ queue_id: id }).delete();
      if (ids.length)
        await trx('queue_members').insert(ids.map((user_id) => ({ queue_id: id, user_id })));
    }

    if (s.dids !== undefined) {
      const keys = [...new Set(s.dids.map(didKey))];
      const bad = s.dids.find((d) => !didKey(d));
      if (bad !== undefined)
        throw new HotlineError('HOTLINE_VALIDATION', `dids: "${bad}" has no digits`, [
          { path: 'dids', message: `"${bad}" has no digits` },
        ]);
      const taken = keys.length
        ? await trx('queue_dids')
            .join('queues', 'queues.id', 'queue_dids.queue_id')
            .whereIn('queue_dids.did', keys)
            .whereNot('queue_dids.queue_id', id)
            .select<Array<{ did: string; name: string }>>('queue_dids.did', 'queues.name')
        : [];
      const first = taken[0];
      if (first)
        throw new HotlineError(
          'HOTLINE_DID_TAKEN',
          `DID ${first.did} belongs to queue ${first.name}`,
          { did: first.did, queue: first.name },
        );
      await trx('queue_dids').where({ queue_id: id }).delete();
      if (keys.length) await trx('queue_dids').insert(keys.map((did) => ({ did, queue_id: id })));
    }
  }

  const api = {
    /** Seeds the database with the configured queues (see above), then reloads. */
    async sync(queues: readonly QueueConfigInput[]): Promise<void> {
      for (const q of queues) {
        const existing = await deps
          .db('queues')
          .where({ name: q.name })
          .first<{ id: number; hours: string | null } | undefined>('id', 'hours');
        if (!existing) {
          const [row] = await deps
            .db('queues')
            .insert({
              name: q.name,
              ring_timeout_sec: q.ringTimeoutSec ?? null,
              owner_first_sec: q.ownerFirstSec ?? null,
              service_level_sec: q.serviceLevelSec ?? null,
              skills: JSON.stringify(q.skills ?? []),
              hours: JSON.stringify(q.hours ?? []),
              timezone: q.timezone ?? null,
              callback_offer_after_sec: q.callbackOfferAfterSec ?? null,
              recording: q.recording ?? null,
              survey: q.survey ?? null,
              service_level_target_pct: q.serviceLevelTargetPct ?? null,
              max_wait_alert_sec: q.maxWaitAlertSec ?? null,
              created_at: deps.clock.now(),
            })
            .returning<Array<{ id: number }>>('id');
          const keys = [...new Set((q.dids ?? []).map(didKey).filter(Boolean))];
          if (keys.length)
            await deps
              .db('queue_dids')
              .insert(keys.map((did) => ({ did, queue_id: row!.id })))
              .onConflict('did')
              .ignore();
        } else if (existing.hours === null) {
          await deps
            .db('queues')
            .where({ id: existing.id })
            .update({
              hours: JSON.stringify(q.hours ?? []),
              timezone: q.timezone ?? null,
              callback_offer_after_sec: q.callbackOfferAfterSec ?? null,
            });
        }
      }
      await api.reload();
    },
    /**
     * Reads every queue from the database. A queue already in memory is updated in place, so a
     * call waiting in it sees new members, skills or hours at once.
     */
    async reload(): Promise<void> {
      const rows = await deps.db('queues').select<QueueRow[]>();
      const dids = await deps.db('queue_dids').select<Array<{ did: string; queue_id: number }>>();
      const members = await deps
        .db('queue_members')
        .select<Array<{ queue_id: number; user_id: number }>>();
      const seen = new Set<string>();
      byDid.clear();
      written.clear();
      for (const r of rows) {
        seen.add(r.name);
        const hours = jsonList<string>(r.hours);
        const info: QueueInfo = {
          id: r.id,
          name: r.name,
          ringTimeoutSec: r.ring_timeout_sec ?? deps.defaultRingTimeoutSec,
          ownerFirstSec: r.owner_first_sec ?? deps.defaultOwnerFirstSec ?? 0,
          serviceLevelSec: r.service_level_sec ?? deps.defaultServiceLevelSec ?? 20,
          skills: new Set(jsonList<string>(r.skills)),
          hours: hours.map(parseRule),
          timezone: r.timezone ?? deps.defaultTimezone ?? 'UTC',
          callbackOfferAfterSec: r.callback_offer_after_sec ?? null,
          recording: (r.recording as RecordingPolicy | null) ?? deps.defaultRecording ?? 'always',
          survey: r.survey === 'after-agent-hangup' ? 'after-agent-hangup' : 'off',
          members: new Set(members.filter((m) => m.queue_id === r.id).map((m) => m.user_id)),
          serviceLevelTargetPct:
            r.service_level_target_pct ??
            deps.defaultServiceLevelTargetPct ??
            DEFAULT_SERVICE_LEVEL_TARGET_PCT,
          maxWaitAlertSec:
            r.max_wait_alert_sec ?? deps.defaultMaxWaitAlertSec ?? DEFAULT_MAX_WAIT_ALERT_SEC,
        };
        const current = byName.get(r.name);
        if (current) Object.assign(current, info);
        else byName.set(r.name, info);
        written.set(r.name, {
          hours,
          dids: dids.filter((d) => d.queue_id === r.id).map((d) => d.did),
        });
      }
      for (const name of [...byName.keys()]) if (!seen.has(name)) byName.delete(name);
      for (const d of dids) {
        const q = rows.find((r) => r.id === d.queue_id);
        if (q) byDid.set(d.did, q.name);
      }
    },
    /** A new queue (admin). 409 if the name or one of the DIDs is taken. */
    async create(name: string, settings: QueueSettings): Promise<QueueView> {
      await deps.db.transaction(async (trx) => {
        const exists = await trx('queues').where({ name }).first<{ id: number } | undefined>('id');
        if (exists) throw new HotlineError('HOTLINE_QUEUE_NAME_TAKEN', `queue ${name} exists`);
        const [row] = await trx('queues')
          .insert({ name, skills: '[]', hours: '[]', created_at: deps.clock.now() })
          .returning<Array<{ id: number }>>('id');
        await write(trx, row!.id, settings);
      });
      await api.reload();
      return api.view(name)!;
    },
    /** Changes the given settings of a queue (admin); the others stay as they are. */
    async update(name: string, settings: QueueSettings): Promise<QueueView> {
      await deps.db.transaction(async (trx) => {
        const row = await trx('queues').where({ name }).first<{ id: number } | undefined>('id');
        if (!row) throw notFound('HOTLINE_QUEUE_NOT_FOUND', `queue ${name}`);
        await write(trx, row.id, settings);
      });
      await api.reload();
      return api.view(name)!;
    },
    /** The admin view of a queue, or null. */
    view(name: string): QueueView | null {
      const q = byName.get(name);
      const w = written.get(name);
      if (!q || !w) return null;
      return {
        name: q.name,
        dids: [...w.dids].sort(),
        ringTimeoutSec: q.ringTimeoutSec,
        ownerFirstSec: q.ownerFirstSec,
        serviceLevelSec: q.serviceLevelSec,
        skills: [...q.skills],
        members: [...q.members].sort((a, b) => a - b),
        hours: [...w.hours],
        timezone: q.timezone,
        callbackOfferAfterSec: q.callbackOfferAfterSec,
        recording: q.recording,
        survey: q.survey,
        serviceLevelTargetPct: q.serviceLevelTargetPct,
        maxWaitAlertSec: q.maxWaitAlertSec,
        openNow: isOpen(q.hours, q.timezone, deps.clock.now()),
      };
    },
    /** Every queue's admin view, by name. */
    views(): QueueView[] {
      return [...byName.keys()]
        .sort()
        .map((n) => api.view(n))
        .filter((v): v is QueueView => v !== null);
    },
    /**
     * The queue for a dialed number: its mapped queue, else the default queue. Digits only, and a
     * national form matches its international one (the longer ends with the shorter, >= 7 digits).
     */
    forDid(did: string): QueueInfo {
      const key = didKey(did);
      let name = byDid.get(key);
      if (name === undefined && key.length >= 7) {
        for (const [d, q] of byDid) {
          const [short, long] = d.length < key.length ? [d, key] : [key, d];
          if (short.length >= 7 && long.endsWith(short)) {
            name = q;
            break;
          }
        }
      }
      name ??= deps.defaultQueue;
      return byName.get(name) ?? byName.get(deps.defaultQueue)!;
    },
    get(name: string): QueueInfo | undefined {
      return byName.get(name);
    },
    /** Is this agent a member (or the queue open to all) with every skill the queue needs? */
    serves(queue: QueueInfo, agent: { userId: number; skills: ReadonlySet<string> }): boolean {
      if (queue.members.size > 0 && !queue.members.has(agent.userId)) return false;
      for (const skill of queue.skills) if (!agent.skills.has(skill)) return false;
      return true;
    },
    all(): QueueInfo[] {
      return [...byName.values()];
    },
  };
  return api;
}

export type Queues = ReturnType<typeof createQueues>;

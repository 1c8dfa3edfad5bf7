import { randomUUID } from 'node:crypto';
import type { Channel } from '../ari/types';
import type { DueCallback, Task } from '../complaints/tasks-repo';
import { isOpen } from '../routing/opening-hours';
import { tryAri } from './ari-safe';
import type { EngineContext } from './engine-context';
import { callerIdFor } from './offer-call';
import { dialFromAgent } from './agent-first';
import {
  agentFirstAnswered,
  agentFirstMissed,
  newAgentFirstRing,
  ringAgentFirst,
  type AgentFirstRing,
  type AgentMissReason,
} from './agent-first-ring';

/** An attempt whose agent's phone is ringing: no customer leg yet. */
interface Pending {
  task: Task;
  ring: AgentFirstRing;
}

/**
 * Queued call-backs (the caller pressed 1): when a task is due, its queue is open, no live caller
 * is waiting in that queue and one of its agents is free, the agent gets the pop, then their
 * phone rings; once they answer, the customer's number is dialed through the trunk and bridged.
 * Busy / no answer: the task is due again after `callbackRetryMin`, up to `callbackMaxAttempts`.
 * Every attempt has its own outbound call record, linked to the task on its timeline, and is
 * written on the task while in progress (`attempt_call_id`): an attempt this dialer did not start
 * (an earlier leader's, killed mid-call) is left alone while its call is open and recorded from
 * its call record once it has ended, so a customer reached before a failover is not called again.
 */
export function createCallbackDialer(ctx: EngineContext, opts: { pollMs: number }) {
  const pending = new Map<string, Pending>();
  /** Tasks with an attempt in progress (pending or live), so none is dialed twice at once. */
  const busyTasks = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  /** A poll at the next due time when that comes before the interval's next one. */
  let wake: NodeJS.Timeout | null = null;
  let polling = false;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const now = ctx.clock.now();
      const due = await ctx.tasks.dueCallbacks(now, 50);
      for (const task of due) {
        // The caller who asked may still be hearing the confirmation: not while that call lives.
        if (busyTasks.has(task.id) || (task.callId && ctx.registry.get(task.callId))) continue;
        if (task.attemptCallId) {
          await settleEarlier(task, task.attemptCallId);
          continue;
        }
        const queue = ctx.queues.get(task.queue ?? '');
        if (!queue || !isOpen(queue.hours, queue.timezone, now)) continue;
        const callId = randomUUID();
        // Live callers first: no agent while anyone is queued for the same queue.
        const agent = ctx.allocator.claim({ callId, queue, behindCallers: true });
        if (!agent) continue;
        busyTasks.add(task.id);
        // In the database before anything rings: no second attempt at once, whoever leads.
        if (!(await ctx.tasks.startAttempt(task.id, callId).catch(() => false))) {
          busyTasks.delete(task.id);
          await ctx.agents.release(agent.userId, callId, false);
          continue;
        }
        await ringAgent(task, agent.userId, agent.extension ?? '', callId).catch(
          async (err: unknown) => {
            ctx.log.error({ err, taskId: task.id }, 'call-back attempt failed to start');
            busyTasks.delete(task.id);
            await ctx.tasks.dropAttempt(task.id, callId).catch(() => undefined);
            await ctx.agents.release(agent.userId, callId, false);
          },
        );
      }
      wakeAt(await ctx.tasks.nextCallbackDue(now), now);
    } catch (err) {
      ctx.log.error({ err }, 'call-back poll failed');
    } finally {
      polling = false;
    }
  }

  /** A poll at `due` (the database's next due time) when the interval would come later. */
  function wakeAt(due: number | null, now: number): void {
    if (wake) clearTimeout(wake);
    wake = null;
    if (!timer || due === null || due - now >= opts.pollMs) return;
    wake = setTimeout(() => void poll(), Math.max(0, due - ctx.clock.now()));
    wake.unref();
  }

  /**
   * An attempt this dialer did not start (an earlier leader's): while its call is open (adopted,
   * still talking) nothing happens; once ended it counts as the attempt it was (reached when
   * answered, else a failed attempt: retried after `callbackRetryMin`, as after a restart); with
   * no call record it never rang anyone and is void.
   */
  async function settleEarlier(task: DueCallback, callId: string): Promise<void> {
    const call = await ctx.calls.get(callId);
    if (call && call.ended_at === null) return;
    if (!call) {
      await ctx.tasks.dropAttempt(task.id, callId);
      return;
    }
    const outcome = call.outcome ?? 'failed';
    const attempts = await ctx.tasks.recordAttempt(task.id, {
      reached: outcome === 'answered',
      at: ctx.clock.now(),
      retryMs: ctx.telephony.callbackRetryMin * 60_000,
      maxAttempts: ctx.telephony.callbackMaxAttempts,
      callId,
    });
    ctx.log.info(
      { taskId: task.id, callId, outcome, attempts },
      'call-back attempt of an earlier leader settled',
    );
  }

  async function ringAgent(task: Task, agentId: number, extension: string, callId: string) {
    const phone = task.phone!;
    const startedAt = ctx.clock.now();
    // No call without a call record: opened before anything rings.
    await ctx.calls.open(
      {
        id: callId,
        callerNumber: ctx.telephony.outboundCallerId,
        callerE164: null,
        dialedNumber: phone,
        channelId: `${callId}-c`,
        state: 'ringing',
      },
      {
        at: startedAt,
        data: {
          callback: { taskId: task.id, queue: task.queue },
          direction: 'outbound',
          queue: task.queue,
          customerId: task.customerId,
        },
      },
    );
    const match = await ctx.matchCaller(phone).catch(() => ({ customers: [] }));
    const pop = await ctx.buildPop({
      id: callId,
      direction: 'outbound',
      callerNumber: phone,
      callerE164: phone,
      dialedNumber: phone,
      customers: match.customers,
      queue: task.queue,
      waitedMs: startedAt - Date.parse(task.dueAt),
    });
    await ctx.notifier.pop(agentId, pop, ctx.telephony.popAckWaitMs).catch(() => undefined);
    const ringSec =
      ctx.queues.get(task.queue ?? '')?.ringTimeoutSec ?? ctx.telephony.ringTimeoutSec;
    const p: Pending = { task, ring: newAgentFirstRing(callId, agentId, startedAt) };
    pending.set(callId, p);
    const name = match.customers.length === 1 ? match.customers[0]!.name : null;
    await ringAgentFirst(ctx, p.ring, {
      kind: 'callback',
      extension,
      callerId: callerIdFor(phone, name ? `Call-back ${name}` : 'Call-back'),
      ringSec,
      offered: { attempt: 1 },
      missed: (reason) => agentMissed(p, reason),
    });
  }

  /** The agent did not pick up: this attempt is void (not counted), the agent set not-ready. */
  async function agentMissed(p: Pending, reason: AgentMissReason): Promise<void> {
    if (pending.get(p.ring.callId) !== p || p.ring.over) return;
    pending.delete(p.ring.callId);
    busyTasks.delete(p.task.id);
    await ctx.tasks
      .dropAttempt(p.task.id, p.ring.callId)
      .catch((err: unknown) =>
        ctx.log.error({ err, taskId: p.task.id }, 'call-back attempt not dropped'),
      );
    await agentFirstMissed(ctx, p.ring, reason);
  }

  /** StasisStart `callback,CALLID`: the agent is on the line; dial the customer. */
  async function agentAnswered(callId: string, channel: Channel): Promise<void> {
    const p = pending.get(callId);
    if (!p || p.ring.channelId !== channel.id || !agentFirstAnswered(p.ring)) {
      await tryAri(ctx.log, 'hangup stale call-back leg', () => ctx.rest.hangup(channel.id));
      return;
    }
    pending.delete(callId);
    await dialFromAgent(ctx, {
      callId,
      agentId: p.ring.agentId,
      agentChannelId: channel.id,
      phone: p.task.phone!,
      queue: ctx.queues.get(p.task.queue ?? '') ?? ctx.queues.forDid(''),
      startedAt: p.ring.startedAt,
      callerId: ctx.telephony.outboundCallerId,
      logFields: { callback: p.task.id },
      onEnded: (outcome) => attemptOver(p, outcome),
    });
  }

  async function attemptOver(p: Pending, outcome: string): Promise<void> {
    const at = ctx.clock.now();
    // Busy until recorded: a poll in between would take the ended attempt for an earlier leader's.
    const attempts = await ctx.tasks
      .recordAttempt(p.task.id, {
        reached: outcome === 'answered',
        at,
        retryMs: ctx.telephony.callbackRetryMin * 60_000,
        maxAttempts: ctx.telephony.callbackMaxAttempts,
        callId: p.ring.callId,
      })
      .finally(() => busyTasks.delete(p.task.id));
    ctx.log.info({ taskId: p.task.id, outcome, attempts }, 'call-back attempt over');
  }

  return {
    start(): void {
      timer ??= setInterval(() => void poll(), opts.pollMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      if (wake) clearTimeout(wake);
      timer = wake = null;
      for (const p of pending.values()) if (p.ring.timer) clearTimeout(p.ring.timer);
      // Its attempts are in the database: a later term (or another leader) settles them there.
      pending.clear();
      busyTasks.clear();
    },
    /** Look now (an agent became free, a task was created). */
    poke(): void {
      void poll();
    },
    agentAnswered,
  };
}

export type CallbackDialer = ReturnType<typeof createCallbackDialer>;

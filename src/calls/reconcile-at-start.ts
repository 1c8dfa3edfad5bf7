import { num } from '../db';
import { newSession, persist } from './call-session';
import type { EngineContext } from './engine-context';
import { tryAri } from './ari-safe';
import { takeEndMarker } from './end-marker';
import { redactNumber } from '../shared/logger';
import { adoptRecording, releaseLeftovers } from './leftover-media';

/**
 * At start, calls the database still holds open were left by an earlier run of the service.
 * Those whose caller is gone are closed (with the dialplan's recorded end time when there is
 * one); those still up in Asterisk are adopted: a talking call keeps its agent, a waiting or
 * ringing one goes back to the queue.
 */
export async function reconcileAtStart(ctx: EngineContext): Promise<void> {
  const open = (await ctx.calls.listOpen()).filter((r) => !ctx.registry.get(r.id));
  if (!open.length) return;
  const live = new Set((await ctx.rest.getApplication(ctx.app)).channel_ids);
  let closed = 0;
  let adopted = 0;
  for (const row of open) {
    const started = num(row.started_at);
    if (row.campaign_id != null && row.state !== 'talking') {
      // A campaign call not yet connected to its telemarketer: its dialer state died with the
      // earlier run, so it is ended, never guessed at (the dialer reschedules its contact).
      await closeCampaignCall(ctx, row.id, [row.channel_id, `${row.id}-a1`], live);
      closed += 1;
      continue;
    }
    if (!row.channel_id || !live.has(row.channel_id)) {
      const end = row.channel_id
        ? await takeEndMarker(ctx, row.channel_id).catch(() => null)
        : null;
      const endedAt = Math.max(started, end?.at ?? ctx.clock.now());
      const answered = num(row.answered_at, true);
      const outcome = answered !== null ? 'answered' : 'abandoned';
      const endedBy = end ? 'caller' : 'system';
      await ctx.calls.update(row.id, {
        state: 'ended',
        ended_at: endedAt,
        wait_ms: (answered ?? endedAt) - started,
        talk_ms: answered !== null ? endedAt - answered : 0,
        outcome,
        hangup_cause: end?.cause?.text ?? null,
        hangup_cause_code: end?.cause?.code ?? null,
        ended_by: endedBy,
      });
      await ctx.calls.appendEvent(row.id, endedAt, 'ended', {
        reason: 'closed-after-restart',
        outcome,
        endedBy,
        cause: end?.cause?.text ?? null,
        causeCode: end?.cause?.code ?? null,
      });
      await releaseLeftovers(ctx, row.id, endedAt);
      closed += 1;
      continue;
    }
    const bridge = await ctx.rest.getBridge(`hotline-${row.id}`).catch(() => null);
    const other = bridge?.channels.find((c) => c !== row.channel_id) ?? null;
    const s = newSession({
      id: row.id,
      callerChannelId: row.channel_id,
      callerRaw: row.caller_number,
      callerE164: row.caller_e164,
      dialedNumber: row.dialed_number,
      queue: ctx.queues.get(row.queue ?? '') ?? ctx.queues.forDid(row.dialed_number),
      startedAt: started,
      log: ctx.log.child({ callId: row.id, caller: redactNumber(row.caller_number) }),
    });
    s.bridgeId = bridge?.id ?? null;
    ctx.registry.add(s);
    await adoptRecording(ctx, s);
    if (row.state === 'talking' && other && row.agent_id !== null) {
      s.state = 'talking';
      s.agentId = row.agent_id;
      s.agentChannelId = other;
      s.answeredAt = num(row.answered_at, true) ?? started;
      ctx.registry.addLeg(other, s.id, 'agent');
      // The agent is still on this call: held for it (if free here), then on the call.
      ctx.allocator.claimAgent(row.agent_id, s.id);
      ctx.agents.onCall(row.agent_id, s.id);
    } else {
      if (other) await tryAri(s.log, 'hangup stale agent leg', () => ctx.rest.hangup(other));
      s.state = 'queued';
      if (s.bridgeId)
        await tryAri(s.log, 'restart moh', () =>
          ctx.rest.startBridgeMoh(s.bridgeId!, ctx.telephony.mohClass),
        );
    }
    void persist(s, 'adopted', () =>
      ctx.calls.appendEvent(s.id, ctx.clock.now(), 'adopted-after-restart', { state: s.state }),
    );
    adopted += 1;
  }
  ctx.log.info({ closed, adopted }, 'calls left open by an earlier run reconciled');
  ctx.dispatch();
}

/** Hangs up the legs still up and closes the record as failed: the service restarted. */
async function closeCampaignCall(
  ctx: EngineContext,
  callId: string,
  channels: Array<string | null>,
  live: Set<string>,
): Promise<void> {
  for (const ch of channels)
    if (ch && live.has(ch))
      await tryAri(ctx.log, 'hangup campaign leg after restart', () => ctx.rest.hangup(ch));
  const at = ctx.clock.now();
  await ctx.calls.update(callId, {
    state: 'ended',
    ended_at: at,
    talk_ms: 0,
    outcome: 'failed',
    hangup_cause: 'service restarted',
    ended_by: 'system',
  });
  await ctx.calls.appendEvent(callId, at, 'ended', {
    reason: 'closed-after-restart',
    outcome: 'failed',
    endedBy: 'system',
    cause: 'service restarted',
    causeCode: null,
  });
}

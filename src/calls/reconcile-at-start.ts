import { newSession } from './call-session';
import { commit } from './commit';
import type { EngineContext } from './engine-context';
import { tryAri } from './ari-safe';
import { takeEndMarker } from './end-marker';
import { redactNumber } from '../shared/logger';
import type { StoredCall } from './calls-repo';
import { adoptRecording, releaseLeftovers } from './leftover-media';
import { startWaitMusic } from './call-bridge';

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
    const started = row.startedAt;
    if (row.campaignId !== null && row.state !== 'talking') {
      // A campaign call not yet connected to its telemarketer: its dialer state died with the
      // earlier run, so it is ended, never guessed at (the dialer reschedules its contact).
      await closeCampaignCall(ctx, row.id, [row.channelId, `${row.id}-a1`], live);
      closed += 1;
      continue;
    }
    if (row.state === 'surveying') {
      await closeSurveyAfterRestart(ctx, row, live);
      closed += 1;
      continue;
    }
    if (!row.channelId || !live.has(row.channelId)) {
      // Its agent's phone may still ring (a call-back's agent-first ring, `CALLID-a1`, whose
      // ring timer died with the earlier run): hung up, not left ringing beside the next attempt.
      for (const ch of live)
        if (ch.startsWith(`${row.id}-a`))
          await tryAri(ctx.log, 'hangup agent leg of a closed call', () => ctx.rest.hangup(ch));
      const end = row.channelId ? await takeEndMarker(ctx, row.channelId).catch(() => null) : null;
      const endedAt = Math.max(started, end?.at ?? ctx.clock.now());
      const answered = row.answeredAt;
      const outcome = answered !== null ? 'answered' : 'abandoned';
      const endedBy = end ? 'caller' : 'system';
      await ctx.calls.commit(
        row.id,
        {
          type: 'ended',
          at: endedAt,
          data: {
            reason: 'closed-after-restart',
            outcome,
            endedBy,
            cause: end?.cause?.text ?? null,
            causeCode: end?.cause?.code ?? null,
          },
        },
        { state: 'ended' },
      );
      await releaseLeftovers(ctx, row.id, endedAt);
      closed += 1;
      continue;
    }
    const bridge = await ctx.rest.getBridge(`hotline-${row.id}`).catch(() => null);
    const other = bridge?.channels.find((c) => c !== row.channelId) ?? null;
    const s = newSession({
      id: row.id,
      callerChannelId: row.channelId,
      callerRaw: row.callerRaw,
      callerE164: row.callerE164,
      dialedNumber: row.dialedNumber,
      queue: ctx.queues.get(row.queue ?? '') ?? ctx.queues.forDid(row.dialedNumber),
      startedAt: started,
      log: ctx.log.child({ callId: row.id, caller: redactNumber(row.callerRaw) }),
    });
    s.bridgeId = bridge?.id ?? null;
    ctx.registry.add(s);
    await adoptRecording(ctx, s);
    if (row.state === 'talking' && other && row.agentId !== null) {
      s.state = 'talking';
      s.agentId = row.agentId;
      s.agentChannelId = other;
      s.answeredAt = row.answeredAt ?? started;
      ctx.registry.addLeg(other, s.id, 'agent');
      // The agent is still on this call: held for it (if free here), then on the call.
      ctx.allocator.claimAgent(row.agentId, s.id);
      ctx.agents.onCall(row.agentId, s.id);
    } else {
      if (other) await tryAri(s.log, 'hangup stale agent leg', () => ctx.rest.hangup(other));
      // An offer still ringing when the earlier run died (kill -9 of a leader): its ring timer
      // died with it, so the phone would ring on beside the re-offer until Asterisk's originate
      // timeout, and picking it up would get a stale leg hung up. The app still holds it (an
      // originated leg is the app's from the start): hang it up (offer-call.ts names it CALL-aN-…).
      for (const ch of live)
        if (ch !== other && ch.startsWith(`${row.id}-a`))
          await tryAri(s.log, 'hangup offer left ringing', () => ctx.rest.hangup(ch));
      s.state = 'queued';
      if (s.bridgeId) await startWaitMusic(ctx, s, s.callerChannelId);
    }
    void commit(ctx, s, {
      type: 'adopted-after-restart',
      at: ctx.clock.now(),
      data: { state: s.state },
    });
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
  await ctx.calls.commit(
    callId,
    {
      type: 'ended',
      at,
      data: {
        reason: 'closed-after-restart',
        outcome: 'failed',
        endedBy: 'system',
        cause: 'service restarted',
        causeCode: null,
      },
    },
    { state: 'ended' },
  );
}

/**
 * A call left in its satisfaction survey (handlers/survey.ts): the survey's state died with the
 * earlier run, so it ends without a score (`restart`), the caller is hung up if still there, and
 * the call closes as it would have: answered, ended by the agent (who had hung up first).
 */
async function closeSurveyAfterRestart(
  ctx: EngineContext,
  row: StoredCall,
  live: Set<string>,
): Promise<void> {
  const channelId = row.channelId;
  const up = channelId !== null && live.has(channelId);
  const end = channelId && !up ? await takeEndMarker(ctx, channelId).catch(() => null) : null;
  if (up)
    await tryAri(ctx.log, 'hangup surveyed caller after restart', () => ctx.rest.hangup(channelId));
  const at = Math.max(row.startedAt, end?.at ?? ctx.clock.now());
  await ctx.calls.commit(row.id, {
    type: 'survey-unanswered',
    at,
    agentId: row.agentId,
    data: { reason: 'restart' },
  });
  await ctx.calls.commit(
    row.id,
    {
      type: 'ended',
      at,
      data: {
        reason: 'closed-after-restart',
        outcome: 'answered',
        endedBy: 'agent',
        cause: end?.cause?.text ?? null,
        causeCode: end?.cause?.code ?? null,
      },
    },
    { state: 'ended' },
  );
  await releaseLeftovers(ctx, row.id, at);
}

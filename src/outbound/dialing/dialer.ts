import { randomUUID } from 'node:crypto';
import type { Channel } from '../../ari/types';
import { dialFromAgent } from '../../calls/agent-first';
import { tryAri } from '../../calls/ari-safe';
import { fire, newSession, type CallSession } from '../../calls/call-session';
import { commit } from '../../calls/commit';
import type { EngineContext } from '../../calls/engine-context';
import { closeUnconnected, endCall } from '../../calls/end-call';
import {
  agentFirstAnswered,
  agentFirstMissed,
  newAgentFirstRing,
  ringAgentFirst,
  type AgentFirstRing,
  type AgentMissReason,
} from '../../calls/agent-first-ring';
import { callerIdFor } from '../../calls/offer-call';
import { isoOf } from '../../shared/clock';
import { HotlineError } from '../../shared/errors';
import { redactNumber } from '../../shared/logger';
import type { PopCampaign, PopContact } from '../../screenpop/agent-events';
import { callableAt } from './calling-hours';
import type { DialCampaign, DialContact, DialOutcome, DialerStore } from './dialer-types';
import { decidePacing } from './pacing-inputs';
import { retryAt } from './retry-at';
import { asDialOutcome, settleOrphans } from './settle-orphans';
import { ringResult } from '../../calls/hangup-causes';
import { openCallBridge, stopWaitMusic } from '../../calls/call-bridge';
import { legId, type Leg } from '../../calls/legs';
import { amdResult, startAmd } from '../../calls/amd';

/** A customer being rung (progressive / predictive): no session until they answer. */
interface Ringing {
  callId: string;
  channelId: string;
  campaign: DialCampaign;
  contact: DialContact;
  startedAt: number;
  timer: NodeJS.Timeout;
  /** Answered and in answering-machine detection since then (the `[hotline-amd]` context). */
  analysingSince?: number;
}

/** A preview offered to an agent: nothing dialed until they click Dial (or Skip). */
interface Preview {
  callId: string;
  agentId: number;
  campaign: DialCampaign;
  contact: DialContact;
  /** Set once the agent clicked Dial: their phone is ringing. */
  ring: AgentFirstRing | null;
}

/** How long an answered customer may wait for a free agent before the call counts as abandoned. */
const ABANDON_AFTER_MS = 2000;
/** AMD() gives up after 5 s (amd.conf totalAnalysisTime); a channel not back by then is hung up. */
const AMD_BACKSTOP_MS = 15_000;

/** `{{firstName}}` → the contact's field (unknown fields left empty). */
export function fillScript(script: string, fields: Record<string, string>): string {
  return script.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, k: string) => fields[k] ?? '');
}

/**
 * The outbound dialer: every second (and when an agent frees up) it looks at the running
 * campaigns and places calls through ARI originate on the trunk.
 * - preview: a free joined agent gets the contact's pop and script; Dial rings the agent's phone
 *   first, then the customer (agent-first); Skip puts the contact back.
 * - progressive: one call per free joined agent; predictive: as many as `decidePacing` says.
 *   Customer first: an answered customer waits in the call's bridge and is offered to a free
 *   joined agent through the dispatcher (pop before the agent's ring); nobody within 2 s →
 *   the abandon message, outcome `abandoned`.
 * Never outside calling hours (contact's zone), never a do-not-call number (checked now, not only
 * at import), never the same number twice at once, never past the attempt limit (claimDue).
 */
/** How long the do-not-call answer for a claimed batch is used before it is asked again. */
const DNC_ANSWER_FRESH_MS = 1000;

export function createDialer(
  ctx: EngineContext,
  store: DialerStore,
  opts: {
    tickMs: number;
    /** Every pacing decision (the supervisor's view shows the ratio). */
    onPacing?: (campaignId: number, decision: { ratio: number; toDial: number }) => void;
  },
) {
  const ringing = new Map<string, Ringing>(); // by call id
  const previews = new Map<string, Preview>(); // by call id
  const busyPhones = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  /** When this run started: contacts claimed before it are an earlier run's (see settleOrphans). */
  let startedAt = Number.POSITIVE_INFINITY;
  let orphansLeft = true;
  let lastOrphanPass = 0;
  /**
   * The running campaigns and who joined them, read at most once per tick: every outcome pokes
   * the dialer, and reading both again for each attempt was most of its database work.
   * `changed()` (a campaign started, paused, edited, joined, left) drops them at once.
   */
  let campaignsRead: { at: number; list: Promise<DialCampaign[]> } | null = null;
  const joinedRead = new Map<number, { at: number; ids: Promise<number[]> }>();
  const fresh = (read: { at: number } | null | undefined, now: number): boolean =>
    read != null && now - read.at < opts.tickMs;
  function runningCampaigns(now: number): Promise<DialCampaign[]> {
    if (!fresh(campaignsRead, now)) campaignsRead = { at: now, list: store.runningCampaigns() };
    const read = campaignsRead!;
    read.list.catch(() => {
      if (campaignsRead === read) campaignsRead = null;
    });
    return read.list;
  }
  function joinedAgents(campaignId: number): Promise<number[]> {
    const now = ctx.clock.now();
    let read = joinedRead.get(campaignId);
    if (!fresh(read, now)) {
      read = { at: now, ids: store.joinedAgents(campaignId) };
      joinedRead.set(campaignId, read);
      const mine = read;
      read.ids.catch(() => {
        if (joinedRead.get(campaignId) === mine) joinedRead.delete(campaignId);
      });
    }
    return read!.ids;
  }

  const popCampaign = (c: DialCampaign, contact: DialContact): PopCampaign => ({
    id: c.id,
    name: c.name,
    mode: c.mode,
    script: fillScript(c.script, contact.fields),
    dispositions: c.dispositions,
  });
  const popContact = (contact: DialContact): PopContact => ({
    id: contact.id,
    fields: contact.fields,
    attempts: contact.attempts,
  });

  /** The campaign's queue, with the campaign's recording policy. */
  const campaignQueue = (c: DialCampaign) => ({
    ...(ctx.queues.get(c.queue) ?? ctx.queues.forDid('')),
    recording: c.recording,
  });

  /** Free agents who joined this campaign and serve its queue (not reserved: the allocator's). */
  async function freeAgents(c: DialCampaign) {
    const joined = new Set(await joinedAgents(c.id));
    return ctx.allocator.free({ queue: ctx.queues.get(c.queue), allowed: joined });
  }

  /**
   * May this contact be dialed now? If not, it goes back (DNC, hours, already in a call).
   * `blocked`: the do-not-call answer for the pass's whole batch, asked once right after the
   * claim (the same pass dials them); without it the contact's number is looked up alone.
   */
  async function mayDial(
    c: DialCampaign,
    contact: DialContact,
    now: number,
    blocked?: ReadonlySet<string>,
  ): Promise<boolean> {
    const onList = blocked
      ? blocked.has(contact.phone)
      : await store.isBlocked(contact.phone, c.id);
    if (onList) {
      await store.markDnc(contact.id);
      ctx.log.info(
        { campaignId: c.id, contactId: contact.id },
        'do-not-call at dial time: skipped',
      );
      return false;
    }
    if (!callableAt(now, c.hours, contact.timezone, c.timezone)) {
      await store.release(contact.id, now + 15 * 60_000);
      return false;
    }
    if (busyPhones.has(contact.phone)) {
      await store.release(contact.id, now + 60_000);
      return false;
    }
    return true;
  }

  async function openRecord(callId: string, c: DialCampaign, contact: DialContact, at: number) {
    await ctx.calls.open(
      {
        id: callId,
        callerNumber: c.callerId,
        callerE164: null,
        dialedNumber: contact.phone,
        channelId: `${callId}-c`,
        state: 'ringing',
      },
      {
        at,
        data: {
          campaign: { id: c.id, mode: c.mode },
          contactId: contact.id,
          attempt: contact.attempts + 1,
          direction: 'outbound',
          queue: c.queue,
        },
      },
    );
  }

  /** The attempt is over: outcome on the record (already closed) and the contact's next step. */
  async function attemptOver(
    c: DialCampaign,
    contact: DialContact,
    callId: string,
    outcome: DialOutcome,
    /** Closes the attempt's record in the outcome's transaction (an attempt that never connected). */
    close?: Parameters<typeof closeUnconnected>[2],
  ) {
    busyPhones.delete(contact.phone);
    const at = ctx.clock.now();
    const next = outcome === 'answered' ? null : retryAt(c, contact, outcome, at);
    ctx.metrics?.dialerOutcome(outcome);
    await store.recordOutcome(
      contact.id,
      { callId, outcome, at, nextAttemptAt: next },
      close && ((trx) => closeUnconnected(ctx, callId, close, trx)),
    );
    // A line is free again: progressive and predictive dial the next contact now, not at the tick.
    poke();
  }

  // ---- progressive / predictive: customer first ----

  async function dialCustomer(c: DialCampaign, contact: DialContact): Promise<void> {
    const callId = randomUUID();
    const channelId = `${callId}-c`;
    const at = ctx.clock.now();
    busyPhones.add(contact.phone);
    await openRecord(callId, c, contact, at);
    const r: Ringing = {
      callId,
      channelId,
      campaign: c,
      contact,
      startedAt: at,
      // Asterisk's own timeout ends the channel; this is the backstop.
      timer: setTimeout(
        () => void customerGone(channelId, 19),
        (ctx.telephony.externalRingSec + 10) * 1000,
      ),
    };
    ringing.set(callId, r);
    ctx.metrics?.dialerOriginate(c.mode);
    try {
      await ctx.originate(
        { kind: 'obcallee', callId },
        {
          endpoint: ctx.telephony.trunkEndpoint.replace('{number}', contact.phone),
          callerId: callerIdFor(c.callerId, null),
          timeout: ctx.telephony.externalRingSec,
          channelId,
        },
        (cause) => void customerGone(channelId, cause, true),
      );
    } catch (err) {
      ctx.log.warn({ err, callId }, 'originate to the customer failed');
      await customerGone(channelId, 0);
    }
  }

  /** The customer's channel ended before answering: busy, no answer, failed. */
  async function customerGone(
    channelId: string,
    cause: number,
    destroyed = false,
  ): Promise<boolean> {
    const r = [...ringing.values()].find((x) => x.channelId === channelId);
    if (!r) return false;
    ringing.delete(r.callId);
    ctx.registry.settle(channelId);
    clearTimeout(r.timer);
    // Asterisk already destroyed it (the usual way); the backstop and a failed originate hang up.
    if (!destroyed)
      await tryAri(ctx.log, 'hangup unanswered customer', () => ctx.rest.hangup(channelId));
    const rung = ringResult(cause);
    // A person who answered and hung up during the machine detection was never served: an
    // abandoned call (it counts against the abandon cap, which errs on the person's side).
    const outcome: DialOutcome =
      r.analysingSince !== undefined ? 'abandoned' : rung === 'declined' ? 'failed' : rung;
    await attemptOver(r.campaign, r.contact, r.callId, outcome, {
      outcome,
      causeCode: cause,
      reason: r.analysingSince !== undefined ? 'hung up during machine detection' : outcome,
    });
    return true;
  }

  /**
   * StasisStart `obcallee,CALLID`: a person (or machine) answered. With `amd` the channel goes
   * to machine detection first and comes back as `obamd`; without, it waits for an agent now.
   */
  async function customerAnswered(callId: string, channel: Channel): Promise<void> {
    const r = ringing.get(callId);
    if (!r || r.channelId !== channel.id || r.analysingSince !== undefined) {
      await tryAri(ctx.log, 'hangup stale customer leg', () => ctx.rest.hangup(channel.id));
      return;
    }
    if (r.campaign.amd) await analyse(r, channel);
    else await connectCustomer(r, channel, ABANDON_AFTER_MS);
  }

  /** Answering-machine detection: the channel runs AMD() in the dialplan (calls/amd.ts). */
  async function analyse(r: Ringing, channel: Channel): Promise<void> {
    const at = ctx.clock.now();
    r.analysingSince = at;
    // Still only expected: a hang-up during the analysis reaches customerGone (abandoned).
    ctx.registry.expect(channel.id, { kind: 'obamd', callId: r.callId }, (cause) => {
      void customerGone(channel.id, cause, true);
    });
    clearTimeout(r.timer);
    r.timer = setTimeout(() => void customerGone(channel.id, 0), AMD_BACKSTOP_MS);
    await ctx.calls.commit(r.callId, { type: 'customer-answered', at, data: { amd: true } });
    try {
      await startAmd(ctx, channel.id, r.callId);
    } catch (err) {
      // No detection possible (context missing, channel gone): a person may be on the line, so
      // they are served as without AMD rather than hung up on.
      ctx.log.error({ err, callId: r.callId }, 'answering-machine detection could not start');
      r.analysingSince = undefined;
      ctx.registry.settle(channel.id);
      await ctx.calls.commit(r.callId, {
        type: 'amd-result',
        at: ctx.clock.now(),
        data: { status: null, cause: 'not started', analysisMs: 0 },
      });
      await connectCustomer(r, channel, ABANDON_AFTER_MS);
    }
  }

  /**
   * StasisStart `obamd,CALLID,STATUS,CAUSE`: the analysis is over. MACHINE → hung up, outcome
   * `machine` (retried after the machine delay); the agent never hears it. HUMAN, NOTSURE → a
   * person as far as anyone knows: connected as without AMD, the 2-second abandon clock running
   * from the end of their greeting (HUMAN) or from now (NOTSURE).
   */
  async function amdDone(callId: string, channel: Channel, extras: readonly string[]) {
    const r = ringing.get(callId);
    if (!r || r.channelId !== channel.id || r.analysingSince === undefined) {
      await tryAri(ctx.log, 'hangup stale customer leg', () => ctx.rest.hangup(channel.id));
      return;
    }
    const at = ctx.clock.now();
    const { status, cause } = amdResult(extras);
    const analysisMs = at - r.analysingSince;
    r.analysingSince = undefined;
    await ctx.calls.commit(r.callId, {
      type: 'amd-result',
      at,
      data: { status, cause, analysisMs },
    });
    if (status === 'MACHINE') {
      ringing.delete(callId);
      clearTimeout(r.timer);
      await tryAri(ctx.log, 'hangup answering machine', () => ctx.rest.hangup(channel.id));
      await attemptOver(r.campaign, r.contact, callId, 'machine', {
        outcome: 'machine',
        reason: 'answering machine',
        hangupCause: `AMD ${cause || 'MACHINE'}`,
      });
      return;
    }
    const sinceGreeting = status === 'HUMAN' ? ctx.telephony.amdAfterGreetingMs : 0;
    await connectCustomer(r, channel, Math.max(0, ABANDON_AFTER_MS - sinceGreeting));
  }

  /** An answered person waits in the call's bridge for a free agent, `abandonAfterMs` at most. */
  async function connectCustomer(r: Ringing, channel: Channel, abandonAfterMs: number) {
    const callId = r.callId;
    ringing.delete(callId);
    clearTimeout(r.timer);
    const queue = campaignQueue(r.campaign);
    const s = newSession({
      id: callId,
      direction: 'outbound',
      callerChannelId: channel.id,
      callerRaw: r.contact.phone,
      callerE164: r.contact.phone,
      dialedNumber: r.contact.phone,
      queue,
      startedAt: r.startedAt,
      log: ctx.log.child({
        callId,
        campaignId: r.campaign.id,
        callee: redactNumber(r.contact.phone),
      }),
    });
    s.outbound = { campaign: popCampaign(r.campaign, r.contact), contact: popContact(r.contact) };
    // A contact owned by one telemarketer (call-back, morning distribution) goes to them only.
    s.allowedAgents = new Set(
      r.contact.ownerUserId !== null ? [r.contact.ownerUserId] : await joinedAgents(r.campaign.id),
    );
    s.onEnded = (o) => attemptOver(r.campaign, r.contact, callId, asDialOutcome(o));
    ctx.registry.add(s);
    try {
      await openCallBridge(ctx, s, channel.id);
    } catch (err) {
      s.log.error({ err }, 'bridging the customer failed');
      await endCall(ctx, s, 'failed', 'system', { reason: 'bridge-failed' });
      return;
    }
    fire(s, 'caller-answered');
    const at = ctx.clock.now();
    void commit(ctx, s, { type: 'customer-answered', at }, { state: 'queued' });
    // No agent within 2 s of the answer: the person hears a short message; that is an abandon.
    s.timers.push(setTimeout(() => void abandon(s), abandonAfterMs));
    ctx.dispatch();
  }

  async function abandon(s: CallSession): Promise<void> {
    if (s.state !== 'queued') return;
    if (!fire(s, 'no-agents')) return;
    s.outcome = 'abandoned';
    s.log.info('no agent within 2 s of the answer: abandoned');
    s.playbackId = `${s.id}-abandon`;
    s.onPlaybackDone = () => endCall(ctx, s, 'announced', 'system', { reason: 'abandoned' });
    try {
      await stopWaitMusic(ctx, s);
      await ctx.rest.play(s.callerChannelId, ctx.telephony.abandonMessage, s.playbackId);
    } catch {
      await endCall(ctx, s, 'announced', 'system', { reason: 'abandoned' });
    }
  }

  // ---- preview: agent first ----

  async function offerPreview(c: DialCampaign, agentId: number, contact: DialContact) {
    const callId = randomUUID();
    // Free when the tick looked; not necessarily now (the contact's reads came in between).
    if (!ctx.allocator.claimAgent(agentId, callId)) {
      await store.release(contact.id);
      return;
    }
    busyPhones.add(contact.phone);
    const p: Preview = {
      callId,
      agentId,
      campaign: c,
      contact,
      ring: null,
    };
    previews.set(callId, p);
    const match = await ctx.matchCaller(contact.phone).catch(() => ({ customers: [] }));
    const pop = await ctx.buildPop({
      id: callId,
      direction: 'outbound',
      callerNumber: contact.phone,
      callerE164: contact.phone,
      dialedNumber: contact.phone,
      customers: match.customers,
      queue: c.queue,
      waitedMs: 0,
      campaign: popCampaign(c, contact),
      contact: popContact(contact),
      preview: true,
    });
    await ctx.notifier.pop(agentId, pop, ctx.telephony.popAckWaitMs).catch(() => undefined);
  }

  /** The preview of this contact offered to this user (supervisors: anyone's). */
  function previewOf(contactId: number, user: { id: number; role: string }): Preview {
    const p = [...previews.values()].find((x) => x.contact.id === contactId);
    if (!p || (user.role === 'agent' && p.agentId !== user.id))
      throw new HotlineError(
        'HOTLINE_PREVIEW_NOT_FOUND',
        `no preview of contact ${contactId} for you`,
      );
    return p;
  }

  async function dialPreview(
    contactId: number,
    user: { id: number; role: string },
  ): Promise<string> {
    const p = previewOf(contactId, user);
    const callId = p.callId;
    if (p.ring) throw new HotlineError('HOTLINE_PREVIEW_ALREADY_DIALING', 'already dialing');
    const agent = ctx.agents.get(p.agentId);
    if (!agent?.extension) throw new HotlineError('HOTLINE_NO_EXTENSION', 'no phone to ring');
    // The rules again at the moment of dialing: the preview may have waited a while.
    const now = ctx.clock.now();
    if (await store.isBlocked(p.contact.phone, p.campaign.id)) {
      await skipPreview(contactId, user, 'dnc');
      throw new HotlineError('HOTLINE_NUMBER_ON_DNC', 'this number is on a do-not-call list');
    }
    if (!callableAt(now, p.campaign.hours, p.contact.timezone, p.campaign.timezone)) {
      await skipPreview(contactId, user, 'hours');
      throw new HotlineError(
        'HOTLINE_OUTSIDE_CALLING_HOURS',
        'outside calling hours for this contact',
      );
    }
    await openRecord(callId, p.campaign, p.contact, now);
    const ring = newAgentFirstRing(callId, p.agentId, now);
    p.ring = ring;
    ctx.registry.addLeg(ring.channelId, callId, 'agent');
    ctx.metrics?.dialerOriginate('preview');
    await ringAgentFirst(ctx, ring, {
      kind: 'obagent',
      extension: agent.extension,
      callerId: callerIdFor(p.contact.phone, p.contact.fields.firstName ?? null),
      ringSec: ctx.queues.get(p.campaign.queue)?.ringTimeoutSec ?? ctx.telephony.ringTimeoutSec,
      offered: { preview: true },
      missed: (reason) => previewAgentMissed(p, ring, reason),
    });
    return callId;
  }

  async function skipPreview(
    contactId: number,
    user: { id: number; role: string },
    why: 'agent' | 'dnc' | 'hours' = 'agent',
  ): Promise<void> {
    const p = previewOf(contactId, user);
    const callId = p.callId;
    if (p.ring && why === 'agent')
      throw new HotlineError('HOTLINE_PREVIEW_ALREADY_DIALING', 'already dialing');
    previews.delete(callId);
    busyPhones.delete(p.contact.phone);
    const now = ctx.clock.now();
    if (why === 'dnc') await store.markDnc(p.contact.id);
    else await store.release(p.contact.id, now + (why === 'hours' ? 15 : 30) * 60_000);
    ctx.notifier.update(p.agentId, {
      callId,
      state: 'ended',
      withdrawn: true,
      reason: `skipped-${why}`,
      at: isoOf(now)!,
    });
    await ctx.agents.release(p.agentId, callId, false);
    poke();
  }

  /** The agent did not pick up their phone after Dial: the attempt is void, the contact goes back. */
  async function previewAgentMissed(
    p: Preview,
    ring: AgentFirstRing,
    reason: AgentMissReason,
  ): Promise<void> {
    if (previews.get(p.callId) !== p || ring.over) return;
    previews.delete(p.callId);
    busyPhones.delete(p.contact.phone);
    await store.release(p.contact.id);
    await agentFirstMissed(ctx, ring, reason);
  }

  /** StasisStart `obagent,CALLID`: the agent picked up after Dial; now dial the customer. */
  async function previewAgentAnswered(callId: string, channel: Channel): Promise<void> {
    const p = previews.get(callId);
    if (!p?.ring || p.ring.channelId !== channel.id || !agentFirstAnswered(p.ring)) {
      await tryAri(ctx.log, 'hangup stale preview leg', () => ctx.rest.hangup(channel.id));
      return;
    }
    previews.delete(callId);
    const s = await dialFromAgent(ctx, {
      callId,
      agentId: p.agentId,
      agentChannelId: channel.id,
      phone: p.contact.phone,
      queue: campaignQueue(p.campaign),
      startedAt: ctx.clock.now(),
      callerId: p.campaign.callerId,
      logFields: { campaignId: p.campaign.id },
      onEnded: (o) => attemptOver(p.campaign, p.contact, callId, asDialOutcome(o)),
      outbound: { campaign: popCampaign(p.campaign, p.contact), contact: popContact(p.contact) },
    });
    if (s.state === 'ended') busyPhones.delete(p.contact.phone);
  }

  // ---- the loop ----

  async function tick(): Promise<void> {
    const now = ctx.clock.now();
    if (orphansLeft && now - lastOrphanPass >= 5000) {
      lastOrphanPass = now;
      const r = await settleOrphans(store, startedAt, now);
      if (r.orphans) ctx.log.info(r, 'contacts left by an earlier run settled');
      orphansLeft = r.live > 0;
    }
    for (const c of await runningCampaigns(now)) {
      const free = await freeAgents(c);
      if (c.mode === 'preview') {
        for (const a of free) {
          const [contact] = await store.claimDue(c.id, now, 1, { forUser: a.userId });
          // Nothing for this agent (others may still have their own assigned contacts).
          if (!contact) continue;
          if (await mayDial(c, contact, now)) await offerPreview(c, a.userId, contact);
        }
        continue;
      }
      const inFlight = [...ringing.values()].filter((r) => r.campaign.id === c.id).length;
      const decision =
        c.mode === 'progressive'
          ? {
              toDial: Math.max(0, free.length - inFlight),
              ratio: 1,
              reason: 'progressive',
              inputs: { free: free.length, inFlight },
            }
          : await decidePacing(store, c, { freeAgents: free.length, inFlight, now });
      opts.onPacing?.(c.id, decision);
      if (decision.toDial <= 0) continue;
      ctx.log.info({ campaignId: c.id, ...decision }, 'pacing decision');
      const contacts = await store.claimDue(c.id, now, decision.toDial, {
        owners: free.map((a) => a.userId),
      });
      // The do-not-call list for the whole batch in one query, asked again for the rest of it
      // when dialing the first took long (a slow originate): never an answer over a second old.
      let blocked = new Set<string>();
      let askedAt = -Infinity;
      for (const [i, contact] of contacts.entries()) {
        if (ctx.clock.now() - askedAt > DNC_ANSWER_FRESH_MS) {
          const rest = contacts.slice(i).map((x) => x.phone);
          blocked = await store.blockedAmong(rest, c.id);
          askedAt = ctx.clock.now();
        }
        if (await mayDial(c, contact, now, blocked)) await dialCustomer(c, contact);
      }
    }
  }

  function poke(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void (async () => {
      try {
        do {
          again = false;
          await tick();
        } while (again);
      } catch (err) {
        ctx.log.error({ err }, 'dialer pass failed');
      } finally {
        running = false;
      }
    })();
  }

  return {
    start(): void {
      startedAt = ctx.clock.now();
      // Contacts claimed before now are an earlier run's or term's: settled on the first tick.
      orphansLeft = true;
      lastOrphanPass = -Infinity;
      timer ??= setInterval(poke, opts.tickMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
      for (const r of ringing.values()) clearTimeout(r.timer);
      for (const p of previews.values()) if (p.ring?.timer) clearTimeout(p.ring.timer);
      // This term's rings end with it (the lease lost): whoever leads next settles their contacts
      // from the database (settleOrphans), and so does this dialer if it leads again — a number
      // kept "busy" here from an old term would never be dialed by it again.
      ringing.clear();
      previews.clear();
      busyPhones.clear();
      campaignsRead = null;
      joinedRead.clear();
    },
    poke,
    /** A campaign changed (status, settings, who joined): read them again now, then dial. */
    changed(): void {
      campaignsRead = null;
      joinedRead.clear();
      poke();
    },
    dialPreview,
    skipPreview: (contactId: number, user: { id: number; role: string }) =>
      skipPreview(contactId, user),
    /** The campaign leg kinds (legs.ts) the engine hands to the dialer when they answer. */
    legs: {
      obcallee: (leg: Leg, channel: Channel) => customerAnswered(legId(leg), channel),
      obamd: (leg: Leg, channel: Channel, extras: readonly string[]) =>
        amdDone(legId(leg), channel, extras),
      obagent: (leg: Leg, channel: Channel) => previewAgentAnswered(legId(leg), channel),
    },
  };
}

export type Dialer = ReturnType<typeof createDialer>;

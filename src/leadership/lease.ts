import type { Logger } from '../shared/logger';
import type { LeaseStore } from './lease-store';

/** The lease's timing (config `leadership.*`; docs/architecture/failover.md). */
export interface LeaseTiming {
  /** How long a taken or renewed lease lasts, by the database's clock. */
  ttlMs: number;
  /** How often the holder renews it. */
  renewMs: number;
  /** How often a standby tries to take it. */
  pollMs: number;
  /**
   * The holder counts itself leader until `renew sent + ttlMs - marginMs` (its own monotonic
   * clock): it steps down this long before the lease can expire in the database, so strictly
   * before any other instance can take it.
   */
  marginMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = {
  ttlMs: 3000,
  renewMs: 1000,
  pollMs: 500,
  marginMs: 1000,
};

/** Waits for `p` (if any), but no longer than `ms`. */
async function within(p: Promise<unknown> | null, ms: number): Promise<void> {
  if (!p) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface LeaseChange {
  leader: boolean;
  /** The epoch led under (gained), or the one given up (lost). */
  epoch: number;
  reason: string;
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Leading right now: the lease was taken or renewed and its local deadline has not passed. */
  readonly isLeader: boolean;
  /** The epoch this instance leads under right now, or null (standby, or the deadline passed). */
  readonly epoch: number | null;
  /** Gained or lost, in order; listeners run synchronously. */
  onChange(listener: (change: LeaseChange) => void): void;
  /** The first attempt to take the lease (awaited), then the renew / poll loop. */
  start(): Promise<void>;
  /** Ends the loop and gives the lease up; call it after the leader's work has stopped. */
  stop(): Promise<void>;
  /**
   * The HTTP address at which the other instances reach this one: written into the lease row
   * with every take and renew while leading (the next renew publishes a change).
   */
  advertise(address: string | null): void;
  /** The address advertised (null: none yet). */
  readonly address: string | null;
}

export interface LeaseOptions {
  name: string;
  holder: string;
  store: LeaseStore;
  log: Logger;
  timing?: Partial<LeaseTiming>;
  /**
   * One instance by definition (SQLite: one process owns the file): the lease is seized at
   * start, epoch + 1, and held until stop, with no timers.
   */
  sole?: boolean;
  /** Local monotonic milliseconds (tests). Default performance.now. */
  monotonic?: () => number;
}

/**
 * A lease row with heartbeats (src/leadership/lease-store.ts). Leader: renews every `renewMs`;
 * a renew that finds the lease taken or expired, or no successful renew before the local
 * deadline, steps it down. Standby: tries to take the lease every `pollMs`. One database
 * statement at a time; the step-down at the deadline is a timer of its own (and `isLeader`
 * checks the deadline itself), so a hung database cannot keep a stale leader leading.
 */
export function createLease(opts: LeaseOptions): Lease {
  const timing = { ...DEFAULT_LEASE_TIMING, ...opts.timing };
  const { ttlMs, renewMs, pollMs, marginMs } = timing;
  if (!(marginMs > 0 && marginMs < ttlMs && renewMs < ttlMs - marginMs))
    throw new Error(
      `lease timing: need 0 < marginMs < ttlMs and renewMs < ttlMs - marginMs (${JSON.stringify(timing)})`,
    );
  const now = opts.monotonic ?? (() => performance.now());
  const { store, holder, log } = opts;
  const listeners = new Set<(c: LeaseChange) => void>();

  let leading: { epoch: number; deadline: number } | null = null;
  let stopped = true;
  let loopTimer: NodeJS.Timeout | null = null;
  let deadlineTimer: NodeJS.Timeout | null = null;
  let busy: Promise<void> | null = null;
  let address: string | null = null;

  const leaderNow = () => leading !== null && now() < leading.deadline;

  function notify(change: LeaseChange) {
    log[change.leader ? 'info' : 'warn'](
      { lease: opts.name, holder, epoch: change.epoch, reason: change.reason },
      change.leader ? 'lease gained: leading' : 'lease lost: standing by',
    );
    for (const l of [...listeners])
      try {
        l(change);
      } catch (err) {
        log.error({ err }, 'lease listener failed');
      }
  }

  function stepDown(reason: string) {
    if (!leading) return;
    const { epoch } = leading;
    leading = null;
    if (deadlineTimer) clearTimeout(deadlineTimer);
    deadlineTimer = null;
    notify({ leader: false, epoch, reason });
  }

  /** Steps down when the deadline passes without a successful renew. */
  function armDeadline() {
    if (deadlineTimer) clearTimeout(deadlineTimer);
    deadlineTimer = null;
    if (!leading || leading.deadline === Infinity) return;
    deadlineTimer = setTimeout(
      () => {
        deadlineTimer = null;
        if (leading && now() >= leading.deadline)
          stepDown(`no successful renew within ${ttlMs - marginMs} ms`);
        else armDeadline();
      },
      Math.max(0, leading.deadline - now()) + 1,
    );
    deadlineTimer.unref();
  }

  async function tryAcquire(): Promise<void> {
    const sentAt = now();
    try {
      const row = await store.acquire(holder, ttlMs, address);
      if (!row || stopped) return;
      const deadline = sentAt + ttlMs - marginMs;
      if (now() >= deadline) {
        log.warn(
          { lease: opts.name, epoch: row.epoch },
          'lease taken too late to lead: left to expire',
        );
        return;
      }
      leading = { epoch: row.epoch, deadline };
      armDeadline();
      notify({ leader: true, epoch: row.epoch, reason: 'acquired' });
    } catch (err) {
      log.warn({ err, lease: opts.name }, 'lease: could not try to take it');
    }
  }

  async function tryRenew(): Promise<void> {
    const held = leading;
    if (!held) return;
    const sentAt = now();
    try {
      const row = await store.renew(holder, held.epoch, ttlMs, address);
      if (leading !== held) return; // stepped down meanwhile (deadline)
      if (!row) {
        stepDown('renew refused: the lease expired or another instance took it');
        return;
      }
      held.deadline = sentAt + ttlMs - marginMs;
      if (!leaderNow()) stepDown('renew answered after the deadline');
      else armDeadline();
    } catch (err) {
      log.warn({ err, lease: opts.name }, 'lease renew failed: retrying until the deadline');
    }
  }

  function schedule(ms: number) {
    loopTimer = setTimeout(() => {
      loopTimer = null;
      if (stopped) return;
      busy = (leaderNow() ? tryRenew() : tryAcquire()).finally(() => {
        busy = null;
        if (!stopped) schedule(leaderNow() ? renewMs : pollMs);
      });
    }, ms);
    loopTimer.unref();
  }

  return {
    name: opts.name,
    holder,
    get isLeader() {
      return leaderNow();
    },
    get epoch() {
      return leaderNow() ? leading!.epoch : null;
    },
    onChange: (listener) => void listeners.add(listener),
    advertise(a) {
      address = a;
    },
    get address() {
      return address;
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      if (opts.sole) {
        const row = await store.seize(holder);
        leading = { epoch: row.epoch, deadline: Infinity };
        notify({ leader: true, epoch: row.epoch, reason: 'sole instance' });
        return;
      }
      busy = tryAcquire();
      await busy;
      busy = null;
      if (!stopped) schedule(leaderNow() ? renewMs : pollMs);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (loopTimer) clearTimeout(loopTimer);
      loopTimer = null;
      // A hung database must not hang the service's stop: a statement gets ttlMs at most.
      await within(busy, ttlMs);
      const held = leading;
      if (deadlineTimer) clearTimeout(deadlineTimer);
      deadlineTimer = null;
      leading = null;
      if (held)
        await within(
          store
            .release(holder, held.epoch)
            .catch((err: unknown) =>
              log.warn({ err }, 'lease release failed: it expires by itself'),
            ),
          ttlMs,
        );
    },
  };
}

import type { Role } from '../api/auth';
import type { WallDelta, WallSnapshot } from '../api/wall';
import type { QueueAlert } from '../screenpop/agent-events';
import type { HotlineIo } from '../screenpop/gateway';
import type { Logger } from '../shared/logger';
import { isWallRole, WALL_ROLES, wallFor, type WallRole } from './wall-privacy';

const roomOf = (role: WallRole) => `wall:${role}`;
/** A socket gets at most one snapshot per this long on `wall:resync` (a snapshot is ~100 KiB). */
const RESYNC_GAP_MS = 500;

/**
 * Several instances (REDIS_URL, PostgreSQL): one wall, the leader's (it alone has the calls).
 * The leader's deltas and alerts go to the wall rooms of every instance through the adapter; a
 * standby sends none, and the snapshot a socket connected to it gets (at connect, on
 * `wall:resync`) is the leader's, sent by the leader to that socket (`send`, over the cluster bus).
 */
export interface WallCluster {
  leading(): boolean;
  /** Asks the leader to send its snapshot to this socket; its `seq`. */
  send(socketId: string, role: WallRole): Promise<number>;
}

/**
 * The wall on socket.io: a socket of a wall role (supervisor, admin, qa) joins its role's room
 * and gets `wall:snapshot` at once; `wall:resync` (after a gap in `seq`) sends it again. Deltas go
 * to each role's room as that role may see them (wall-privacy.ts); other sockets get nothing, and
 * their `wall:resync` is refused. The gateway (src/screenpop/gateway.ts) has already checked the
 * token at the handshake and checks the session before every event a socket sends.
 */
export function attachWallSockets(deps: {
  io: HotlineIo;
  snapshot: (role: WallRole) => WallSnapshot;
  /** `privacy.fullNumberRoles`: who sees callers' numbers whole (wall-privacy.ts). */
  fullNumberRoles?: readonly Role[];
  log: Logger;
  /** Several instances: see WallCluster. None: each instance's wall is its own (io.local). */
  cluster?: WallCluster;
}) {
  const { cluster } = deps;
  /** A standby of a cluster: the leader's wall, sent by the leader. */
  const remote = () => (cluster ? !cluster.leading() : false);
  deps.io.on('connection', (socket) => {
    const role = socket.data.role;
    if (!isWallRole(role)) {
      socket.on('wall:resync', (ack) => {
        if (typeof ack === 'function')
          ack({ ok: false, error: 'the wall is for supervisors, admins and qa' });
      });
      return;
    }
    void socket.join(roomOf(role));
    if (remote())
      cluster!.send(socket.id, role).catch((err: unknown) => {
        deps.log.warn({ err, userId: socket.data.userId }, 'no wall snapshot from the leader');
      });
    else socket.emit('wall:snapshot', deps.snapshot(role));
    // At most one snapshot per RESYNC_GAP_MS per socket: asking faster gets the next one, once.
    let last = 0;
    let later: NodeJS.Timeout | null = null;
    const acks: Array<(r: { ok: true; seq: number } | { ok: false; error: string }) => void> = [];
    const send = () => {
      later = null;
      last = Date.now();
      if (remote()) {
        const waiting = acks.splice(0);
        cluster!.send(socket.id, role).then(
          (seq) => {
            for (const ack of waiting) ack({ ok: true, seq });
          },
          (err: unknown) => {
            deps.log.warn({ err, userId: socket.data.userId }, 'wall resync: no leader answered');
            for (const ack of waiting) ack({ ok: false, error: 'no leader answered: try again' });
          },
        );
        return;
      }
      const snapshot = deps.snapshot(role);
      deps.log.debug({ userId: socket.data.userId, seq: snapshot.seq }, 'wall resync');
      socket.emit('wall:snapshot', snapshot);
      for (const ack of acks.splice(0)) ack({ ok: true, seq: snapshot.seq });
    };
    socket.on('wall:resync', (ack) => {
      if (typeof ack === 'function') acks.push(ack);
      if (later) return;
      const wait = last + RESYNC_GAP_MS - Date.now();
      if (wait <= 0) send();
      else later = setTimeout(send, wait);
    });
    socket.on('disconnect', () => {
      if (later) clearTimeout(later);
      acks.length = 0;
    });
  });

  /** This instance's sockets, or (the leader of a cluster) every instance's; a standby: none. */
  const out = () => (cluster ? (cluster.leading() ? deps.io : null) : deps.io.local);
  return {
    /** A delta to every wall socket, as its role may see it. */
    delta(d: WallDelta): void {
      const to = out();
      if (!to) return;
      // Alone (no cluster), a role with no wall open here is skipped: its copy (masked numbers)
      // and encoding would go to nobody. A cluster's rooms span instances: always sent.
      const rooms = cluster ? null : deps.io.sockets.adapter.rooms;
      for (const role of WALL_ROLES) {
        if (rooms && !rooms.get(roomOf(role))?.size) continue;
        to.to(roomOf(role)).emit('wall:delta', wallFor(role, d, deps.fullNumberRoles));
      }
    },
    /** A tile turned red: supervisors and admins are alerted (qa sees the red tile only). */
    alert(a: QueueAlert): void {
      out()
        ?.to([roomOf('supervisor'), roomOf('admin')])
        .emit('supervisor:alert', a);
    },
    /** On the leader: its snapshot to one socket, wherever connected (a standby asked). */
    sendTo(socketId: string, role: WallRole): number {
      const snapshot = deps.snapshot(role);
      deps.io.to(socketId).emit('wall:snapshot', snapshot);
      return snapshot.seq;
    },
  };
}

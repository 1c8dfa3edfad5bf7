import type { Socket } from 'socket.io-client';
import { applyWallDelta, sortWall } from '../../../src/api/wall-apply';
import type { WallSnapshot } from '../../../src/api/wall';
import type { ClientToServerEvents, ServerToClientEvents } from '../api/types';

type HotlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface WallState {
  /** The wall as of `wall.seq`; null until the first snapshot. */
  wall: WallSnapshot | null;
  /** The socket is connected and the copy is current (not waiting for a resync). */
  live: boolean;
  /** How many times a gap in `seq` made us ask for a snapshot (shown for support). */
  resyncs: number;
}

/**
 * The supervisor wall as this browser holds it: the snapshot the service sends on connect, then
 * every delta applied in `seq` order. A delta that does not follow the copy's `seq` means one was
 * missed: ask for a snapshot (`wall:resync`) and ignore deltas until it comes. Kept outside
 * React's state of the live connection (useSyncExternalStore) so that a delta re-renders the
 * wall's page only, not the whole desktop.
 */
export function createWallStore() {
  let state: WallState = { wall: null, live: false, resyncs: 0 };
  const listeners = new Set<() => void>();
  const set = (next: WallState) => {
    state = next;
    for (const l of listeners) l();
  };
  return {
    subscribe: (listener: () => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (): WallState => state,
    /** Follows the wall events of this socket; returns the detach. */
    attach(socket: HotlineSocket): () => void {
      let waiting = false;
      const resync = () => {
        if (waiting) return;
        waiting = true;
        set({ ...state, live: false, resyncs: state.resyncs + 1 });
        socket.emit('wall:resync');
      };
      const onSnapshot = (s: WallSnapshot) => {
        waiting = false;
        set({ ...state, wall: sortWall(s), live: true });
      };
      const onDelta: ServerToClientEvents['wall:delta'] = (d) => {
        const wall = state.wall;
        if (waiting) return;
        if (!wall) {
          resync();
          return;
        }
        if (d.seq <= wall.seq) return; // already in the snapshot
        if (d.seq !== wall.seq + 1) {
          resync();
          return;
        }
        set({ ...state, wall: applyWallDelta(wall, d), live: true });
      };
      const onDisconnect = () => {
        waiting = false;
        set({ ...state, live: false });
      };
      socket.on('wall:snapshot', onSnapshot);
      socket.on('wall:delta', onDelta);
      socket.on('disconnect', onDisconnect);
      return () => {
        socket.off('wall:snapshot', onSnapshot);
        socket.off('wall:delta', onDelta);
        socket.off('disconnect', onDisconnect);
        set({ wall: null, live: false, resyncs: 0 });
      };
    },
  };
}

export type WallStore = ReturnType<typeof createWallStore>;

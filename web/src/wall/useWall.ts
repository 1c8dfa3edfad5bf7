import { useSyncExternalStore } from 'react';
import { useLive } from '../live/LiveProvider';
import type { WallState } from '../live/wall-store';

/** The supervisor wall as this browser holds it (snapshot + deltas), re-rendering on each delta. */
export function useWall(): WallState {
  const { wall } = useLive();
  return useSyncExternalStore(wall.subscribe, wall.get);
}

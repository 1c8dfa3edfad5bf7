import { Router } from 'express';
import type { z } from 'zod';
import type { wallSnapshotSchema } from '../../api/wall';
import { HotlineError } from '../../shared/errors';
import { isWallRole, type WallRole } from '../../supervision/wall-privacy';
import type { WallSnapshot } from '../../api/wall';
import { currentUser } from '../middleware';

export interface WallRouteDeps {
  /** The wall as a role may see it (src/supervision/wall.ts); built after the app, hence a getter. */
  wall: () => { snapshot(role: WallRole): WallSnapshot };
}

/** GET /api/wall: the wall's state as of its last delta (the route table allows the wall roles). */
export function wallRoutes(deps: WallRouteDeps) {
  const r = Router();
  r.get('/wall', (req, res) => {
    const { role } = currentUser(req);
    if (!isWallRole(role)) throw new HotlineError('HOTLINE_FORBIDDEN', 'not for your role');
    res.json(deps.wall().snapshot(role) satisfies z.output<typeof wallSnapshotSchema>);
  });
  return r;
}

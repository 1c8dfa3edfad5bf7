import type { Db } from '../db';
import type { Clock } from '../shared/clock';

/**
 * Settings an admin changes at run time (`settings` table: key → JSON value). The config file
 * gives the defaults; a key present here wins over it.
 */
export function createSettingsRepo(db: Db, clock: Clock) {
  return {
    async get<T>(key: string): Promise<T | null> {
      const row = await db('settings').where({ key }).first<{ value: string } | undefined>('value');
      return row ? (JSON.parse(row.value) as T) : null;
    },
    async set(key: string, value: unknown, updatedBy: number | null): Promise<void> {
      await db('settings')
        .insert({
          key,
          value: JSON.stringify(value),
          updated_at: clock.now(),
          updated_by: updatedBy,
        })
        .onConflict('key')
        .merge();
    },
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;

export interface Disposition {
  code: string;
  label: string;
}

/**
 * Loads the saved dispositions into `list` in place (the desktop routes and the wrap-up hold
 * that very array), leaving the config's list when none were saved.
 */
export async function loadDispositions(settings: SettingsRepo, list: Disposition[]) {
  const saved = await settings.get<Disposition[]>('dispositions');
  if (saved?.length) list.splice(0, list.length, ...saved);
}

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

/** A code and a label: a disposition, a break reason. */
export type CodeLabel = Disposition;

/** The settings keys of the lists an admin replaces (PUT /api/dispositions, /api/break-reasons). */
export type ListKey = 'dispositions' | 'breakReasons';

/**
 * Loads the saved list into `list` in place (the routes, the wrap-up and the agent directory
 * hold that very array), leaving the config's list when none was saved.
 */
export async function loadList(settings: SettingsRepo, key: ListKey, list: CodeLabel[]) {
  const saved = await settings.get<CodeLabel[]>(key);
  if (saved?.length) list.splice(0, list.length, ...saved);
}

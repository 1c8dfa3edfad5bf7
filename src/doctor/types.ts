import type { AriProbe, ConfigTuple } from '../ari/probe';
import type { Config } from '../config';

/** One check's verdict, in words a PBX administrator acts on. */
export interface Check {
  status: 'ok' | 'problem' | 'not-checked';
  /** One line: what was found. */
  title: string;
  /** More lines: why it matters, what exactly was seen, what the check cannot see. */
  detail?: string[];
  /** The fix: where, the lines to add, and what to run after. */
  fix?: Fix;
}

export interface Fix {
  /** e.g. "ari.conf" (Add to …) or, with `run`, "the PBX, as root" (Run on …) */
  where: string;
  /** The lines are commands to run, not configuration to add. */
  run?: boolean;
  lines: string[];
  /** e.g. asterisk -rx "module reload res_ari.so" */
  then?: string;
}

/** What the service's database says: users with an extension, and the queues' DIDs. */
export interface Directory {
  users: Array<{ username: string; extension: string }>;
  /** null: no queue_dids table yet (the configuration's DIDs are used). */
  dids: string[] | null;
}

export interface DoctorDeps {
  cfg: Readonly<Config>;
  ari: AriProbe;
  /** Reads the service's database; rejects with a sentence when it cannot. */
  directory(): Promise<Directory>;
  /** Does a Hotline answer /healthz on this machine, with its ARI link open? */
  localHotlineOpen(): Promise<boolean>;
  /** Suffix of every temporary name (bridge, recording, application). */
  tag: string;
  /** How long the test recording runs. Default 2000. */
  recordMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What one check learned that later ones use. */
export interface Findings {
  asteriskVersion?: string;
  defaultLanguage?: string;
  /** The carrier endpoint (from telephony.trunkEndpoint) and its settings, when readable. */
  carrier?: { name: string; settings: Map<string, string> | null };
  running?: Set<string>;
}

export const settingsOf = (tuples: ConfigTuple[] | undefined) =>
  new Map((tuples ?? []).map((t) => [t.attribute, t.value]));

export const reload = (what: string) => `asterisk -rx "${what}"`;

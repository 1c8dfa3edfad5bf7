import fs from 'node:fs';
import path from 'node:path';
import { configSchema, type Config } from './schema';
import { projectRoot } from '../shared/paths';

export type { Config, QueueConfig, QueueConfigInput } from './schema';

/** A configuration that cannot start the service; `message` is one line naming the key. */
export class ConfigError extends Error {}

type Json = { [key: string]: unknown };

function readJson(file: string): Json {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    throw new ConfigError(`config file ${file}: ${(err as Error).message}`);
  }
}

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b &&
      typeof b === 'object' &&
      !Array.isArray(b)
        ? merge(b as Json, v as Json)
        : v;
  }
  return out;
}

/** The contract's environment variables and the config keys they set. */
const ENV_KEYS: ReadonlyArray<[string, string]> = [
  ['PORT', 'port'],
  ['DATABASE_URL', 'databaseUrl'],
  ['LOG_LEVEL', 'logLevel'],
  ['RECORDINGS_DIR', 'recordingsDir'],
  ['HOTLINE_ADMIN_PASSWORD', 'adminPassword'],
  ['REDIS_URL', 'redisUrl'],
  ['ARI_URL', 'ari.url'],
  ['ARI_USER', 'ari.user'],
  ['ARI_PASSWORD', 'ari.password'],
  ['ARI_APP', 'ari.app'],
  ['HOTLINE_DEFAULT_REGION', 'telephony.defaultRegion'],
  ['HOTLINE_METRICS_TOKEN', 'metrics.token'],
  ['HOTLINE_INSTANCE_ID', 'leadership.instanceId'],
  ['HOTLINE_ADVERTISE_URL', 'leadership.advertiseUrl'],
  ['HOTLINE_REDIS_KEY', 'redisKey'],
];

function fromEnv(env: NodeJS.ProcessEnv): { tree: Json; sources: Map<string, string> } {
  const tree: Json = {};
  const sources = new Map<string, string>();
  for (const [name, key] of ENV_KEYS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Json;
    node[parts[parts.length - 1] as string] = value;
    sources.set(key, name);
  }
  return { tree, sources };
}

/**
 * Reads config/default.json, then HOTLINE_CONFIG (a JSON file) if set, then the environment.
 * The only reader of process.env. Throws ConfigError with one line naming the bad key.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  configDir = path.join(projectRoot(), 'config'),
): Readonly<Config> {
  let tree = readJson(path.join(configDir, 'default.json'));
  if (env.HOTLINE_CONFIG) tree = merge(tree, readJson(env.HOTLINE_CONFIG));
  const { tree: envTree, sources } = fromEnv(env);
  tree = merge(tree, envTree);
  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (!first) throw new ConfigError('invalid configuration');
    const key = first.path.join('.');
    throw new ConfigError(`invalid configuration: ${sources.get(key) ?? key}: ${first.message}`);
  }
  const cfg = parsed.data;
  if (!cfg.telephony.queues.some((q) => q.name === cfg.telephony.defaultQueue)) {
    throw new ConfigError(
      `invalid configuration: telephony.defaultQueue: "${cfg.telephony.defaultQueue}" is not one of telephony.queues`,
    );
  }
  return deepFreeze(cfg);
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

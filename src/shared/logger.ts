import pino, { type Logger } from 'pino';
import { maskPhone, scrubNumbers } from '../privacy/mask-phone';

export type { Logger };

/**
 * A phone number as logs show it: masked the way API answers mask it for a role that does not
 * need it (`+86 138****8000`): enough to tell calls apart, never the whole number.
 */
export function redactNumber(value: string | null | undefined): string {
  if (!value) return '';
  return maskPhone(value);
}

/** Keys whose values are secrets: replaced whole. */
const SECRET_KEYS = ['password', 'token', 'authorization', 'ariPassword', 'passwordHash'];
/** Keys whose values are phone numbers: masked (a field logged by mistake stays masked). */
const NUMBER_KEYS = [
  'callerNumber',
  'dialedNumber',
  'callerRaw',
  'callerE164',
  'caller',
  'callee',
  'phone',
  'phones',
  'e164',
  'number',
];
const SECRETS = new Set(SECRET_KEYS);

/** A number-keyed value masked wherever it is a string (or a list of them). */
function maskValue(value: unknown): unknown {
  if (typeof value === 'string') return maskPhone(value);
  if (Array.isArray(value)) return value.map(maskValue);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v)]));
  return value;
}

/** Errors as pino writes them, with every phone number in their message and stack masked. */
function errSerializer(err: unknown) {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  for (const key of ['message', 'stack'])
    if (typeof out[key] === 'string') out[key] = scrubNumbers(out[key]);
  return out;
}

/**
 * The service's root logger. Secrets are censored wherever they appear under their keys; phone
 * numbers are never logged whole: values under number keys are masked, and so is every number
 * in a message or an error's message and stack (knex puts a failed query's values there). Log
 * `redactNumber(n)` under a key of your own.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hotline' },
      redact: {
        paths: [
          ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
          'req.headers.authorization',
          ...NUMBER_KEYS.flatMap((k) => [k, `*.${k}`]),
        ],
        censor: (value: unknown, path: string[]) =>
          SECRETS.has(path[path.length - 1] ?? '') ? '[redacted]' : maskValue(value),
      },
      serializers: { err: errSerializer },
      hooks: {
        // The message (and any string argument): numbers in it masked.
        logMethod(args, method) {
          const scrubbed = args.map((a: unknown) =>
            typeof a === 'string' ? scrubNumbers(a) : a,
          ) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}

/** A logger that writes nothing (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
